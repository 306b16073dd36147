import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { PersonalToken } from './personal-token.entity';

/** Housekeeping: personal access tokens that expired or were revoked before the retention cutoff. */
@Injectable()
export class PersonalTokensPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(PersonalToken) private readonly tokens: Repository<PersonalToken>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('personal_access_tokens', this.tokens, ['expires_at', 'revoked_at']));
  }
}
