import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { UsersModule } from '../users/users.module';
import { AccountPasswordService } from './account-password.service';
import { AccountSettingsController } from './account-settings.controller';
import { PasswordResetLink } from './password-reset-link.entity';
import { PasswordResetLinksService } from './password-reset-links.service';
import { PasswordResetController } from './password-reset.controller';
import { ResetMailer } from './reset-mailer.service';
import { TokenKindRegistry } from '../auth/token-kind.registry';
import { PASSWORD_RESET_TOKEN } from './password-reset.token-kind';
import { PasswordResetLinksPurge } from './password-reset-links.purge';

/**
 * Account self-service: change password (strength rule, common-password list), display name,
 * temporary passwords replaced at first sign-in, one-time reset links (admins, CLI, email).
 */
@Module({
  imports: [TypeOrmModule.forFeature([PasswordResetLink]), UsersModule, SessionsModule, SignInModule],
  controllers: [AccountSettingsController, PasswordResetController],
  providers: [
    PasswordResetLinksPurge,
    AccountPasswordService,
    PasswordResetLinksService,
    ResetMailer,
    // Binds itself to guarded GET page routes (RouteInterceptorRegistry).
  ],
  exports: [AccountPasswordService],
})
export class AccountModule {
  constructor(tokenKinds: TokenKindRegistry) {
    tokenKinds.register(PASSWORD_RESET_TOKEN);
  }
}
