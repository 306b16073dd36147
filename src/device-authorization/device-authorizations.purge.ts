import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { DeviceAuthorization } from './device-authorization.entity';

/**
 * Housekeeping: device authorization requests (RFC 8628 §3.2) whose device code expired before
 * the retention cutoff. Every request ends at `expires_at` whatever its status (a redeemed,
 * denied or never-answered one alike), so that one column decides; the tokens a redemption
 * issued are the code flow's rows and are purged on their own terms. A device polling with a
 * purged code gets `invalid_grant` instead of `expired_token` (§3.5), weeks after it expired.
 */
@Injectable()
export class DeviceAuthorizationsPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(DeviceAuthorization) private readonly requests: Repository<DeviceAuthorization>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('device_authorizations', this.requests, ['expires_at']));
  }
}
