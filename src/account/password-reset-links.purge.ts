import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { PasswordResetLink } from './password-reset-link.entity';

/** Housekeeping: password-reset links that expired before the retention cutoff. A link ends at most 30 minutes after it was made, used or not, so expiry alone decides. */
@Injectable()
export class PasswordResetLinksPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(PasswordResetLink) private readonly rows: Repository<PasswordResetLink>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('password_reset_links', this.rows, ['expires_at']));
  }
}
