import { Module } from '@nestjs/common';
import { BotsModule } from '../bots/bots.module';
import { AccountModule } from '../account/account.module';
import { ClientsModule } from '../clients/clients.module';
import { ImpersonationModule } from '../impersonation/impersonation.module';
import { GrantsModule } from '../grants/grants.module';
import { PersonalTokensModule } from '../personal-tokens/personal-tokens.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { UsersModule } from '../users/users.module';
import { AdminAuditController } from './admin-audit.controller';
import { AdminBotsPagesController } from './admin-bots-pages.controller';
import { AdminMfaPagesController } from './admin-mfa-pages.controller';
import { AdminCredentialsService } from './admin-credentials.service';
import { AdminDashboardController } from './admin-dashboard.controller';
import { AdminDashboardService } from './admin-dashboard.service';
import { AuditNamesService } from './audit-names.service';
import { AdminPageContext } from './admin-page.context';
import { AdminPagesController } from './admin-pages.controller';
import { AdminUsersPagesController } from './admin-users-pages.controller';
import { AdminUsersController } from './admin-users.controller';
import { MfaModule } from '../mfa/mfa.module';
import { MfaPolicyModule } from '../mfa-policy/mfa-policy.module';
import { SsoConnectionsModule } from '../sso-connections/sso-connections.module';

/**
 * The operators' module: users, credentials, the audit log and the dashboard, as a JSON API
 * under /admin/* and pages under /admin/ui/*; bots, impersonations and the two-factor policy
 * pages; the page shell (AdminPageContext, AdminPageErrorFilter) the other admin pages use
 * (admin-federation: clients, SSO connections). Every route requires the `admin` scope. The credential
 * kinds it lists and revokes are registered by the modules owning them (UserCredentialRegistry).
 */
@Module({
  imports: [
    UsersModule,
    SessionsModule,
    SignInModule,
    PersonalTokensModule,
    GrantsModule,
    ClientsModule,
    BotsModule,
    ImpersonationModule,
    AccountModule,
    SsoConnectionsModule,
    MfaModule,
    MfaPolicyModule,
  ],
  controllers: [
    AdminBotsPagesController,
    AdminUsersController,
    AdminAuditController,
    AdminDashboardController,
    AdminPagesController,
    AdminUsersPagesController,
    AdminMfaPagesController,
  ],
  providers: [AdminCredentialsService, AdminDashboardService, AdminPageContext, AuditNamesService],
  // The page shell and the audit names, for the other admin pages (admin-federation).
  exports: [AdminPageContext, AuditNamesService],
})
export class AdminModule {}
