import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { ClientManagementModule } from '../client-management/client-management.module';
import { ClientsModule } from '../clients/clients.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SsoConnectionsModule } from '../sso-connections/sso-connections.module';
import { UsersModule } from '../users/users.module';
import { AdminClientsPagesController } from './admin-clients-pages.controller';
import { AdminSsoPagesController } from './admin-sso-pages.controller';

/**
 * The admin pages of the parties Gatehouse federates with: Admin → Clients (the OAuth clients that
 * sign people in through it, on ClientManagementService like the /admin/clients API) and Admin →
 * Single sign-on (the upstream identity providers it signs people in through, on
 * SsoLifecycleService like the CLI). The page shell (context, error page, audit names) is the
 * admin module's; every route requires the `admin` scope and is audited as `admin.*`.
 */
@Module({
  imports: [AdminModule, UsersModule, SessionsModule, ClientsModule, ClientManagementModule, SsoConnectionsModule],
  controllers: [AdminClientsPagesController, AdminSsoPagesController],
})
export class AdminFederationModule {}
