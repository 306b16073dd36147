import { Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Client, spaceList } from '../clients/client.entity';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/**
 * An impersonation access token (RFC 8693 token exchange): acts as `subject` with
 * `act: { sub: actor }`. Short-lived, never refreshed. Only its SHA-256 is stored.
 */
@Index('uq_impersonation_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_impersonation_tokens_expiry', ['expiresAt'])
@Index('ix_impersonation_tokens_subject', ['subjectUserId'])
@Entity('impersonation_tokens')
export class ImpersonationToken {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'subject_user_id', type: 'varchar', length: 36 })
  subjectUserId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_user_id' })
  subject?: User;

  /** The administrator acting (RFC 8693 §4.1 `act.sub`). */
  @Column({ name: 'actor_user_id', type: 'varchar', length: 36 })
  actorUserId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'actor_user_id' })
  actor?: User;

  /** The client that asked at the token endpoint; null when started from the admin page. */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId: string | null;

  @Column({ type: 'varchar', length: 1000, transformer: spaceList })
  scopes: string[];

  /** Why the administrator acts (recorded; shown to other admins). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
