import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MfaModule } from '../mfa/mfa.module';
import { SecondFactorRegistry } from '../mfa/second-factor.registry';
import { ExternalSignInRegistry } from '../sign-in/external-sign-in.registry';
import { SessionsModule } from '../sessions/sessions.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { UsersModule } from '../users/users.module';
import { AccountPasskeysController } from './account-passkeys.controller';
import { PasskeyChallenge } from './passkey-challenge.entity';
import { PasskeyChallenges } from './passkey-challenges.service';
import { PasskeyExternalSignIn } from './passkey-external-sign-in';
import { PasskeySignInController } from './passkey-sign-in.controller';
import { Passkey } from './passkey.entity';
import { PASSKEY_FACTOR, PasskeysService } from './passkeys.service';

/**
 * Passkeys (WebAuthn Level 3, @simplewebauthn/server; docs/mfa.md): registering named passkeys
 * from the account page, passwordless usernameless sign-in, and the passkey as a second factor
 * (registered in the MFA core's SecondFactorRegistry).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Passkey, PasskeyChallenge]), UsersModule, SessionsModule, SignInModule, MfaModule],
  controllers: [AccountPasskeysController, PasskeySignInController],
  providers: [PasskeysService, PasskeyChallenges, PasskeyExternalSignIn],
  exports: [PasskeysService],
})
export class PasskeysModule {
  constructor(passkeys: PasskeysService, factors: SecondFactorRegistry, signIn: ExternalSignInRegistry, button: PasskeyExternalSignIn) {
    signIn.register(button);
    factors.register({
      id: PASSKEY_FACTOR,
      label: 'Passkey',
      order: 20,
      standalone: true,
      challengePath: '/login/passkey',
      enrolPath: '/account/passkeys',
      // What a session held at enrolment by MFA_REQUIRED needs to register its first passkey.
      enrolRoutes: ['GET /account/passkeys', 'POST /account/passkeys/options', 'POST /account/passkeys'],
      enrolledAmong: (ids) => passkeys.usersWithPasskeys(ids),
      countsAmong: (ids) => passkeys.countsAmong(ids),
      describe: (id) => passkeys.summary(id),
      resetForUser: (id) => passkeys.deleteAllFor(id),
    });
  }
}
