import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { AuthorizationCode } from './authorization-code.entity';
import { RefreshToken } from './refresh-token.entity';

/**
 * Housekeeping for the code flow: authorization codes past their expiry, and refresh tokens that
 * expired, were revoked or were rotated out (consumed) before the retention cutoff. A token
 * rotated out longer ago than the retention is then simply unknown (invalid_grant) rather than
 * detected as reuse; the grant rows themselves are kept (consents and history refer to them).
 */
@Injectable()
export class CodeFlowPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(AuthorizationCode) private readonly codes: Repository<AuthorizationCode>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      repositoryPurgeTask('authorization_codes', this.codes, ['expires_at']),
    );
    this.registry.register(
      repositoryPurgeTask('refresh_tokens', this.refreshTokens, ['expires_at', 'revoked_at', 'rotated_at']),
    );
  }
}
