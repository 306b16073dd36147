import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { Session } from './session.entity';

/** Housekeeping: sessions that expired or were revoked before the retention cutoff. */
@Injectable()
export class SessionsPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('sessions', this.sessions, ['expires_at', 'revoked_at']));
  }
}
