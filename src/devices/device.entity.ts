import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { UuidPrimaryColumn } from '../database/entity-columns';

@Index('ix_devices_owner', ['ownerId', 'createdAt', 'id'])
@Entity('devices')
export class Device {
  @UuidPrimaryColumn()
  id: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model: string | null;

  @Column({ name: 'serial_number', type: 'varchar', length: 100, nullable: true })
  serialNumber: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
