import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { BoolColumn, UuidPrimaryColumn } from '../../src/database/entity-columns';
import { Device } from '../../src/devices/device.entity';

export type AlertMetric = 'radon' | 'co2' | 'voc' | 'temperature' | 'humidity' | 'pressure';
export const ALERT_METRICS: readonly AlertMetric[] = ['radon', 'co2', 'voc', 'temperature', 'humidity', 'pressure'];

/**
 * A rule on one device: alert when `metric` goes above `threshold`. The table, index and
 * foreign key come from the migration; the entity declares the same (schema drift test).
 */
@Index('ix_alerts_device', ['deviceId', 'createdAt', 'id'])
@Entity('alerts')
export class Alert {
  @UuidPrimaryColumn()
  id: string;

  @ForeignKey(() => Device, { onDelete: 'CASCADE' })
  @Column({ name: 'device_id', type: 'varchar', length: 36 })
  deviceId: string;

  @Column({ type: 'varchar', length: 16 })
  metric: AlertMetric;

  /** In the metric's unit (Bq/m³, ppm, ppb, °C, %rH, hPa). */
  @Column({ type: 'double' })
  threshold: number;

  @BoolColumn('enabled')
  enabled: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
