import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Principal } from '../../src/auth/principal';
import { keysetPage, Page } from '../../src/common/keyset';
import { DevicesService } from '../../src/devices/devices.service';
import { Alert } from './alert.entity';
import { CreateAlertDto } from './dto/create-alert.dto';

/**
 * Alert rules of a device. Who may see them is the device's rule (owner or admin), asked of the
 * devices module: a device the caller cannot see is a 404, and so are its alerts.
 */
@Injectable()
export class AlertsService {
  constructor(
    @InjectRepository(Alert) private readonly alerts: Repository<Alert>,
    private readonly devices: DevicesService,
  ) {}

  async list(p: Principal, deviceId: string, page: { limit: number; cursor?: string }): Promise<Page<Alert>> {
    await this.devices.getVisible(p, deviceId);
    const qb = this.alerts.createQueryBuilder('a').where('a.device_id = :deviceId', { deviceId });
    return keysetPage(qb, { time: 'a.created_at', id: 'a.id' }, page, (a) => ({ time: a.createdAt, id: a.id }));
  }

  async create(p: Principal, deviceId: string, dto: CreateAlertDto): Promise<Alert> {
    await this.devices.getVisible(p, deviceId);
    return this.alerts.save(
      this.alerts.create({ deviceId, metric: dto.metric, threshold: dto.threshold, enabled: dto.enabled ?? true, createdAt: new Date() }),
    );
  }

  async remove(p: Principal, deviceId: string, alertId: string): Promise<void> {
    await this.devices.getVisible(p, deviceId);
    const res = await this.alerts.delete({ id: alertId, deviceId });
    if (!res.affected) throw new NotFoundException('Alert not found');
  }
}
