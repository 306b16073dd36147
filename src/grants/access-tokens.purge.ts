import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { AccessToken } from './access-token.entity';

/** Housekeeping: access tokens that expired or were revoked before the retention cutoff. */
@Injectable()
export class AccessTokensPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      repositoryPurgeTask('oauth_access_tokens', this.tokens, ['expires_at', 'revoked_at']),
    );
  }
}
