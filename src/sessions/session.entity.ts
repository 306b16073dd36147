import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/** A browser session. The cookie carries the secret; only its SHA-256 is stored here. */
@Index('uq_sessions_secret_hash', ['secretHash'], { unique: true })
@Index('ix_sessions_user', ['userId', 'createdAt'])
@Index('ix_sessions_expires', ['expiresAt'])
@Index('ix_sessions_revoked', ['revokedAt'])
@Entity('sessions')
export class Session {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 })
  lastSeenAt: Date;

  /** Absolute timeout; the idle timeout is measured from lastSeenAt. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;
}
