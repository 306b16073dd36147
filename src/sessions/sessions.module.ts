import { SessionsPurge } from './sessions.purge';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { AccountPagesController } from './account-pages.controller';
import { AccountSessionsController } from './account-sessions.controller';
import { AccountSessionsService } from './account-sessions.service';
import { CsrfService } from './csrf.service';
import { FlashService } from './flash.service';
import { SessionCookieService } from './session-cookie.service';
import { SessionPrincipalReader } from './session-principal.reader';
import { SessionCookieStrategy } from './session-cookie.strategy';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SignInStepRegistry } from './sign-in-steps';
import { TokenKindRegistry } from '../auth/token-kind.registry';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { SessionCredentialSource } from './session-credential.source';
import { SESSION_TOKEN } from './session.token-kind';

/**
 * Browser sessions: the sessions table, the sealed cookie and its Passport strategy, CSRF, flash
 * messages, the steps a sign-in passes after the password, Account → Sessions. The sign-in page
 * itself is the sign-in module's.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Session]), UsersModule],
  controllers: [AccountSessionsController, AccountPagesController],
  providers: [
    SessionCredentialSource,
    SessionsPurge,
    SessionsService,
    AccountSessionsService,
    SessionCookieService,
    SessionPrincipalReader,
    SessionCookieStrategy,
    CsrfService,
    FlashService,
    SignInStepRegistry,
  ],
  exports: [SessionsService, CsrfService, SessionCookieService, SessionPrincipalReader, FlashService, SignInStepRegistry],
})
export class SessionsModule {
  constructor(tokenKinds: TokenKindRegistry, credentials: UserCredentialRegistry, source: SessionCredentialSource) {
    // The session secret inside the cookie: its prefix is ours (the cookie strategy registers no token).
    tokenKinds.register(SESSION_TOKEN);
    credentials.register(source);
  }
}
