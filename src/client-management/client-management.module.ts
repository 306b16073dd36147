import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountClientPagesController } from './account-client-pages.controller';
import { AccountClientsController } from './account-clients.controller';
import { AdminClientsController } from './admin-clients.controller';
import { ClientManagementService } from './client-management.service';

/**
 * Managing OAuth clients: one core (`ClientManagementService`: who may act on a client, what
 * they see, the audit rows) behind the developer API (`/developer/clients`), the developer pages
 * (`/account/clients`) and the admin API (`/admin/clients`); the admin pages and the OIDC
 * settings use it too. The registry itself is the clients module's.
 */
@Module({
  imports: [ClientsModule, UsersModule, SessionsModule],
  controllers: [AccountClientsController, AccountClientPagesController, AdminClientsController],
  providers: [ClientManagementService],
  exports: [ClientManagementService],
})
export class ClientManagementModule {}
