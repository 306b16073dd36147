import { Device } from '../../../src/devices/device.entity';
import { Sample } from '../../../src/devices/sample.entity';
import type { TestApp } from './test-app';

export interface DeviceBody {
  id: string;
  ownerId: string;
  name: string;
  model: string | null;
  serialNumber: string | null;
  location: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Creates a device over HTTP as the signed-in user behind `cookie`. */
export async function createDevice(t: TestApp, cookie: string, body: Record<string, unknown> = {}): Promise<DeviceBody> {
  const res = await t.http.post<DeviceBody>('/devices', { cookie, json: { name: 'Living room', ...body } });
  if (res.status !== 201) throw new Error(`device create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** `count` valid samples, one minute apart from `start`. */
export function sampleBatch(count: number, start = Date.UTC(2026, 0, 1)): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    recordedAt: new Date(start + i * 60_000).toISOString(),
    co2: 400 + i,
    temperature: 21.5,
    humidity: 40,
  }));
}

export function countSamples(t: TestApp, deviceId: string): Promise<number> {
  return t.dataSource.getRepository(Sample).countBy({ deviceId });
}

export function findDeviceRow(t: TestApp, id: string): Promise<Device | null> {
  return t.dataSource.getRepository(Device).findOneBy({ id });
}
