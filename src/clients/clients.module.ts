import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientSecret } from './client-secret.entity';
import { ClientSecretStrategy } from './client-secret.strategy';
import { ClientSecretsService } from './client-secrets.service';
import { Client } from './client.entity';
import { ClientsService } from './clients.service';
import { ClientSecretsPurge } from './client-secrets.purge';

/**
 * The OAuth client registry: registrations, their secrets (hashed, rotation with a grace period),
 * client authentication and the `Secret` scheme. Who may change a client, and what they see, is
 * the client-management module's.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Client, ClientSecret]), UsersModule],
  providers: [ClientSecretsPurge, ClientsService, ClientSecretsService, ClientAuthenticator, ClientSecretStrategy],
  exports: [ClientsService, ClientAuthenticator, ClientSecretsService],
})
export class ClientsModule {}
