import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { ImpersonationToken } from './impersonation-token.entity';

/** Housekeeping: impersonation tokens that expired before the retention cutoff. They live minutes, so a revoked one is gone by expiry soon after (as access tokens are purged); who acted for whom stays in the audit log, which has its own retention. */
@Injectable()
export class ImpersonationTokensPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(ImpersonationToken) private readonly rows: Repository<ImpersonationToken>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('impersonation_tokens', this.rows, ['expires_at']));
  }
}
