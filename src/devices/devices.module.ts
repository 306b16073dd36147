import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScopeRegistry } from '../auth/scope-registry';
import { Device } from './device.entity';
import { DevicesController } from './devices.controller';
import { DEVICE_SCOPES } from './devices.scopes';
import { DevicesService } from './devices.service';
import { Sample } from './sample.entity';
import { SamplesController } from './samples.controller';

/** The sample resource API: devices and their sensor readings, guarded by scopes. */
@Module({
  imports: [TypeOrmModule.forFeature([Device, Sample])],
  controllers: [DevicesController, SamplesController],
  providers: [DevicesService],
  // Modules that hang resources on a device (alerts, …) ask it who may see the device.
  exports: [DevicesService],
})
export class DevicesModule {
  constructor(scopes: ScopeRegistry) {
    scopes.register(DEVICE_SCOPES);
  }
}
