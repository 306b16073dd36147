import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountClientPagesController } from './account-client-pages.controller';
import { AccountClientsController } from './account-clients.controller';
import { AdminClientsController } from './admin-clients.controller';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientManagementService } from './client-management.service';
import { ClientSecret } from './client-secret.entity';
import { ClientSecretStrategy } from './client-secret.strategy';
import { ClientSecretsService } from './client-secrets.service';
import { Client } from './client.entity';
import { ClientsService } from './clients.service';
import { ClientSecretsPurge } from './client-secrets.purge';

/** OAuth client registrations, their secrets, client authentication and the `Secret` scheme. */
@Module({
  imports: [TypeOrmModule.forFeature([Client, ClientSecret]), UsersModule, SessionsModule],
  controllers: [AccountClientsController, AccountClientPagesController, AdminClientsController],
  providers: [ClientSecretsPurge, ClientsService, ClientSecretsService, ClientAuthenticator, ClientManagementService, ClientSecretStrategy],
  exports: [ClientsService, ClientAuthenticator, ClientManagementService],
})
export class ClientsModule {}
