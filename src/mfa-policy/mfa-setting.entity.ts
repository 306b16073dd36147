import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A setting of the MFA module an admin changed at runtime (`required`: who must have a second
 * factor). Absent: the environment's value applies (docs/mfa.md "Operator policy").
 */
@Entity('mfa_settings')
export class MfaSetting {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 32 })
  name: string;

  @Column({ name: 'value', type: 'varchar', length: 64 })
  value: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  /** The admin who set it (no foreign key: the setting outlives the account; the audit log says more). */
  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true })
  updatedBy: string | null;
}
