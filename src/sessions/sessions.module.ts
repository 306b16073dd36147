import { SessionsPurge } from './sessions.purge';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { AccountPagesController } from './account-pages.controller';
import { AccountSessionsController } from './account-sessions.controller';
import { AccountSessionsService } from './account-sessions.service';
import { CsrfService } from './csrf.service';
import { FlashService } from './flash.service';
import { LoginThrottle } from './login-throttle.service';
import { LoginController } from './login.controller';
import { SessionCookieService } from './session-cookie.service';
import { SessionPrincipalReader } from './session-principal.reader';
import { SessionCookieStrategy } from './session-cookie.strategy';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SignInHints } from './sign-in-hints';
import { ExternalSignInRegistry } from './external-sign-in.registry';
import { SignInStepRegistry } from './sign-in-steps';
import { TokenKindRegistry } from '../auth/token-kind.registry';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { SessionCredentialSource } from './session-credential.source';
import { SESSION_TOKEN } from './session.token-kind';

/** Browser sessions: sign-in, the sealed cookie, its Passport strategy, CSRF, account pages. */
@Module({
  imports: [TypeOrmModule.forFeature([Session]), UsersModule],
  controllers: [LoginController, AccountSessionsController, AccountPagesController],
  providers: [
    SessionCredentialSource,
    SessionsPurge,
    SessionsService,
    AccountSessionsService,
    SessionCookieService,
    SessionPrincipalReader,
    SessionCookieStrategy,
    CsrfService,
    LoginThrottle,
    FlashService,
    SignInHints,
    ExternalSignInRegistry,
    SignInStepRegistry,
  ],
  exports: [
    SessionsService,
    CsrfService,
    SessionCookieService,
    SessionPrincipalReader,
    FlashService,
    SignInHints,
    LoginThrottle,
    ExternalSignInRegistry,
    SignInStepRegistry,
  ],
})
export class SessionsModule {
  constructor(tokenKinds: TokenKindRegistry, credentials: UserCredentialRegistry, source: SessionCredentialSource) {
    // The session secret inside the cookie: its prefix is ours (the cookie strategy registers no token).
    tokenKinds.register(SESSION_TOKEN);
    credentials.register(source);
  }
}
