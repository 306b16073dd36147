import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { AccessToken } from './access-token.entity';

/**
 * Housekeeping: access tokens that expired before the retention cutoff. A revoked one goes by its
 * expiry too: it lives at most a day (OAUTH_ACCESS_TOKEN_TTL_SECONDS ≤ 86400), so it stays at most
 * a day longer, and `revoked_at` needs no index on the busiest insert path (1764001300001).
 */
@Injectable()
export class AccessTokensPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('oauth_access_tokens', this.tokens, ['expires_at']));
  }
}
