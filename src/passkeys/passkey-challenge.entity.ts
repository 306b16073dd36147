import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/** What a challenge is for: adding a passkey from the account page, signing in with one, or re-authenticating a session (step-up). */
export type PasskeyCeremony = 'registration' | 'sign-in' | 'step-up';

/**
 * One WebAuthn challenge in flight. Single use (deleted when a response is checked against it),
 * bound to what asked for it (`binding_hash`: the session for a registration or a step-up, a
 * browser cookie for a sign-in) and to its `purpose`, and dead after PASSKEYS_CHALLENGE_TIMEOUT_SECONDS.
 */
@Index('ix_passkey_challenges_binding', ['bindingHash', 'purpose'])
@Index('ix_passkey_challenges_expires', ['expiresAt'])
@Entity('passkey_challenges')
export class PasskeyChallenge {
  @UuidPrimaryColumn()
  id: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: PasskeyCeremony;

  /** SHA-256 (hex) of what the challenge is bound to (`session:<id>` or `browser:<nonce>`). */
  @Column({ name: 'binding_hash', type: 'varchar', length: 64 })
  bindingHash: string;

  /** The challenge as sent, base64url. */
  @Column({ type: 'varchar', length: 128 })
  challenge: string;

  /** The user a registration is for (null for a usernameless sign-in). */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
