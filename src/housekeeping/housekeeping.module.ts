import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HousekeepingLease } from './housekeeping-lease.entity';
import { HousekeepingLeaseService } from './housekeeping-lease.service';
import { HousekeepingService } from './housekeeping.service';
import { PurgeTaskRegistry } from './purge-task';

/**
 * Scheduled purge of ended credentials. Modules register a PurgeTask for their own tables in the
 * (global) PurgeTaskRegistry; this module owns the schedule and the lease.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([HousekeepingLease])],
  providers: [PurgeTaskRegistry, HousekeepingLeaseService, HousekeepingService],
  exports: [PurgeTaskRegistry, HousekeepingService],
})
export class HousekeepingModule {}
