import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/** A one-time password-reset link: only the SHA-256 of its token is stored. */
@Index('uq_password_reset_links_hash', ['tokenHash'], { unique: true })
@Index('ix_password_reset_links_user', ['userId'])
@Index('ix_password_reset_links_expires', ['expiresAt'])
@Entity('password_reset_links')
export class PasswordResetLink {
  @UuidPrimaryColumn()
  id: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt: Date | null;
}
