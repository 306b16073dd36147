import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import { keysetPage, Page, PreparedKeysetList } from '../common/keyset';
import { runTransaction } from '../database/transactions';
import { ownedBy, ownedRowsFilter, requireOwnerId } from '../users/row-access';
import { Device } from './device.entity';
import { CreateDeviceDto } from './dto/create-device.dto';
import { SampleDto } from './dto/sample.dto';
import { UpdateDeviceDto } from './dto/update-device.dto';
import { Sample } from './sample.entity';

/** Devices belong to a user; a principal sees its user's devices, or all with `admin`. */
@Injectable()
export class DevicesService {
  /** The device list's SQL, generated once per shape (docs/performance.md). */
  private readonly list: PreparedKeysetList<Device>;

  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @InjectRepository(Sample) private readonly samples: Repository<Sample>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.list = new PreparedKeysetList(devices, 'd', { time: 'd.created_at', id: 'd.id' }, (d) => ({ time: d.createdAt, id: d.id }));
  }

  /** The principal's devices (every device for an admin), newest first. */
  listVisible(p: Principal, limit = 50, cursor?: string): Promise<Page<Device>> {
    return this.list.page(ownedRowsFilter(p, 'd.owner_id'), { limit, cursor });
  }

  /** Another user's device is reported as missing, never as forbidden. */
  async getVisible(p: Principal, id: string): Promise<Device> {
    const device = await this.devices.findOneBy({ id, ...ownedBy(p, 'ownerId') });
    if (!device) throw new NotFoundException('Device not found');
    return device;
  }

  async create(p: Principal, dto: CreateDeviceDto): Promise<Device> {
    const ownerId = requireOwnerId(p, 'Devices');
    const now = new Date();
    return this.devices.save(
      this.devices.create({
        ownerId,
        name: dto.name,
        model: dto.model ?? null,
        serialNumber: dto.serialNumber ?? null,
        location: dto.location ?? null,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  async update(p: Principal, id: string, dto: UpdateDeviceDto): Promise<Device> {
    const device = await this.getVisible(p, id);
    Object.assign(device, stripUndefined(dto), { updatedAt: new Date() });
    return this.devices.save(device);
  }

  async remove(p: Principal, id: string): Promise<void> {
    const device = await this.getVisible(p, id);
    // Samples go with the device (ON DELETE CASCADE).
    await this.devices.delete({ id: device.id });
  }

  /** One keyset page of a device's samples in [from, to), oldest first (a time series reads forward). */
  async listSamples(
    p: Principal,
    deviceId: string,
    range: { from?: string; to?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Sample>> {
    await this.getVisible(p, deviceId);
    const qb = this.samples.createQueryBuilder('s').where('s.device_id = :deviceId', { deviceId });
    if (range.from) qb.andWhere('s.recorded_at >= :from', { from: new Date(range.from) });
    if (range.to) qb.andWhere('s.recorded_at < :to', { to: new Date(range.to) });
    return keysetPage(qb, { time: 's.recorded_at', id: 's.id' }, { ...page, order: 'asc' }, (s) => ({
      time: s.recordedAt,
      id: String(s.id),
    }));
  }

  /** A whole batch in one transaction: every sample is written, or none is. */
  async addSamples(p: Principal, deviceId: string, batch: SampleDto[]): Promise<number> {
    await this.getVisible(p, deviceId);
    const now = new Date();
    const rows = batch.map((s) => ({
      deviceId,
      recordedAt: new Date(s.recordedAt),
      radon: s.radon ?? null,
      co2: s.co2 ?? null,
      voc: s.voc ?? null,
      temperature: s.temperature ?? null,
      humidity: s.humidity ?? null,
      pressure: s.pressure ?? null,
      battery: s.battery ?? null,
      createdAt: now,
    }));
    // The DTO admits only readable timestamps; this keeps an unreadable one out of the table even
    // if a caller skips it (such a row made every later read of the device a 500).
    if (rows.some((r) => Number.isNaN(r.recordedAt.getTime()))) throw new BadRequestException('Every sample needs a valid recordedAt');
    await runTransaction(this.dataSource, async (tx) => {
      // Chunked so one statement stays within SQLite's bound-parameter limit.
      for (let i = 0; i < rows.length; i += 200) await tx.insert(Sample, rows.slice(i, i + 200));
    });
    return rows.length;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
