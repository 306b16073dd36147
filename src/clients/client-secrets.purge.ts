import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { ClientSecret } from './client-secret.entity';

/** Housekeeping: client secrets that expired (a rotated-out secret's grace ended) or were revoked before the retention cutoff. The table is small (a few rows a client), so these passes need no index. */
@Injectable()
export class ClientSecretsPurge implements OnModuleInit {
  constructor(
    private readonly registry: PurgeTaskRegistry,
    @InjectRepository(ClientSecret) private readonly rows: Repository<ClientSecret>,
  ) {}

  onModuleInit(): void {
    this.registry.register(repositoryPurgeTask('client_secrets', this.rows, ['expires_at', 'revoked_at']));
  }
}
