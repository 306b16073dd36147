import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/**
 * A user's authenticator-app (TOTP, RFC 6238) secret. The secret is sealed at rest (SecretSealer,
 * purpose `totp-secret`, context the user id: it opens only for this user) and never shown once
 * enrolment is confirmed. `confirmedAt` null: enrolment started, not a factor yet.
 */
@Index('uq_mfa_totp_user', ['userId'], { unique: true })
@Entity('mfa_totp')
export class TotpCredential {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'confirmed_at', type: 'datetime', precision: 3, nullable: true })
  confirmedAt: Date | null;

  /** The RFC 6238 time step of the last accepted code: that code and earlier ones are refused. */
  @Column({ name: 'last_used_step', type: 'integer', nullable: true })
  lastUsedStep: number | null;
}
