import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { ExternalSignInRegistry } from './external-sign-in.registry';
import { LoginThrottle } from './login-throttle.service';
import { LoginController } from './login.controller';
import { SignInHints } from './sign-in-hints';

/**
 * The sign-in page and password sign-in (`/login`, `POST /auth/login`, sign-out): the login
 * throttle (failures per IP and per account), safe return paths, sign-in hints, and the
 * `ExternalSignInRegistry` into which other ways to sign in (SSO, passkeys) put their buttons.
 * The session a sign-in starts, its cookie and the steps after the password are the sessions
 * module's.
 */
@Module({
  imports: [SessionsModule, UsersModule],
  controllers: [LoginController],
  providers: [LoginThrottle, SignInHints, ExternalSignInRegistry],
  exports: [LoginThrottle, SignInHints, ExternalSignInRegistry],
})
export class SignInModule {}
