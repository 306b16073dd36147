import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScopeRegistry } from '../../src/auth/scope-registry';
import { DevicesModule } from '../../src/devices/devices.module';
import { Alert } from './alert.entity';
import { ALERT_SCOPES } from './alerts.scopes';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Alert rules on devices: the example module of docs/adding-a-module.md. */
@Module({
  imports: [TypeOrmModule.forFeature([Alert]), DevicesModule],
  controllers: [AlertsController],
  providers: [AlertsService],
})
export class AlertsModule {
  constructor(scopes: ScopeRegistry) {
    scopes.register(ALERT_SCOPES);
  }
}
