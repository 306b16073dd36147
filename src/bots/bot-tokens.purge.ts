import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { BotToken } from './bot-token.entity';

/** Housekeeping: bot tokens that expired or were revoked before the retention cutoff. */
@Injectable()
export class BotTokensPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(BotToken) private readonly rows: Repository<BotToken>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('bot_tokens', this.rows, ['expires_at', 'revoked_at']));
  }
}
