import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

/** One single-use recovery code: only its SHA-256 is stored (the code is ~50 random bits, shown once). */
@Index('uq_mfa_recovery_codes_hash', ['codeHash'], { unique: true })
@Index('ix_mfa_recovery_codes_user', ['userId'])
@Entity('mfa_recovery_codes')
export class RecoveryCode {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt: Date | null;
}
