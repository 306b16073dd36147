import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A short lease on one user's factors, held while one of them is removed (MfaFactorLocks): a second
 * removal for the same user waits until it is released or has expired.
 */
@Index('ix_mfa_factor_locks_expires', ['expiresAt'])
@Entity('mfa_factor_locks')
export class MfaFactorLock {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** Random id of the request holding it: only the holder releases it. */
  @Column({ name: 'holder', type: 'varchar', length: 36 })
  holder: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
