import type { Device } from './device.entity';
import type { DeviceView } from './dto/device.view';
import type { SampleView } from './dto/sample.view';
import type { Sample } from './sample.entity';

/** Entity → API view. Controllers map; services return entities, so they stay reusable. */
export function toDeviceView(d: Device): DeviceView {
  return {
    id: d.id,
    ownerId: d.ownerId,
    name: d.name,
    model: d.model,
    serialNumber: d.serialNumber,
    location: d.location,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export function toSampleView(s: Sample): SampleView {
  return {
    recordedAt: s.recordedAt.toISOString(),
    radon: s.radon,
    co2: s.co2,
    voc: s.voc,
    temperature: s.temperature,
    humidity: s.humidity,
    pressure: s.pressure,
    battery: s.battery,
  };
}
