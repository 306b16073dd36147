import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who runs a housekeeping job until when (one row per job name). */
@Entity('housekeeping_leases')
export class HousekeepingLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  holder: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
