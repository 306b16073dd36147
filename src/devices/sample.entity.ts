import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Device } from './device.entity';

/** One sensor reading of a device at a point in time. Every measurement is optional. */
@Index('ix_samples_device_time', ['deviceId', 'recordedAt'])
@Entity('samples')
export class Sample {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @ForeignKey(() => Device, { onDelete: 'CASCADE' })
  @Column({ name: 'device_id', type: 'varchar', length: 36 })
  deviceId: string;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt: Date;

  @Column({ type: 'double', nullable: true }) radon: number | null;
  @Column({ type: 'double', nullable: true }) co2: number | null;
  @Column({ type: 'double', nullable: true }) voc: number | null;
  @Column({ type: 'double', nullable: true }) temperature: number | null;
  @Column({ type: 'double', nullable: true }) humidity: number | null;
  @Column({ type: 'double', nullable: true }) pressure: number | null;
  @Column({ type: 'double', nullable: true }) battery: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
