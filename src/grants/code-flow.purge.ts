import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { AuthorizationCode } from './authorization-code.entity';
import { Grant } from './grant.entity';
import { RefreshToken } from './refresh-token.entity';

/**
 * Housekeeping for the code flow: authorization codes past their expiry, and refresh tokens that
 * expired, were revoked or were rotated out (consumed) before the retention cutoff. A token
 * rotated out longer ago than the retention is then simply unknown (invalid_grant) rather than
 * detected as reuse. Last, grants (refresh-token families) that expired or were revoked before
 * the cutoff: their refresh tokens ended with them and went in the pass before; only live
 * families are read as authorized apps, and the audit log keeps the history.
 */
@Injectable()
export class CodeFlowPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(AuthorizationCode) private readonly codes: Repository<AuthorizationCode>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    @InjectRepository(Grant) private readonly grants: Repository<Grant>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('authorization_codes', this.codes, ['expires_at']));
    this.registry.register(repositoryPurgeTask('refresh_tokens', this.refreshTokens, ['expires_at', 'revoked_at', 'rotated_at']));
    // After the refresh tokens: they reference their family (ON DELETE CASCADE).
    this.registry.register(repositoryPurgeTask('authorization_grants', this.grants, ['expires_at', 'revoked_at']));
  }
}
