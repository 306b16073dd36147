import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { User } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { AdminAuditController } from './admin-audit.controller';
import { AdminCredentialsService } from './admin-credentials.service';
import { AdminDashboardController } from './admin-dashboard.controller';
import { AdminDashboardService } from './admin-dashboard.service';
import { AdminPageContext } from './admin-page.context';
import { AdminPagesController } from './admin-pages.controller';
import { AdminUsersPagesController } from './admin-users-pages.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';
import { SessionCredentialSource } from './credentials/session-credential.source';
import { USER_CREDENTIAL_SOURCES, UserCredentialSource } from './credentials/user-credential-source';

/**
 * The operators' module: users, credentials, the audit log and the dashboard, as a JSON API
 * under /admin/* and pages under /admin/ui/*. Every route requires the `admin` scope.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User]), UsersModule, SessionsModule],
  controllers: [AdminUsersController, AdminAuditController, AdminDashboardController, AdminPagesController, AdminUsersPagesController],
  providers: [
    AdminUsersService,
    AdminCredentialsService,
    AdminDashboardService,
    AdminPageContext,
    SessionCredentialSource,
    {
      provide: USER_CREDENTIAL_SOURCES,
      inject: [SessionCredentialSource],
      useFactory: (...sources: UserCredentialSource[]) => sources,
    },
  ],
})
export class AdminModule {}
