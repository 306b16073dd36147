import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { SignInStepRegistry } from '../sessions/sign-in-steps';
import { MfaPolicyModule } from '../mfa-policy/mfa-policy.module';
import { RecoveryCodesModule } from '../recovery-codes/recovery-codes.module';
import { RecoveryCodesService } from '../recovery-codes/recovery-codes.service';
import { UsersModule } from '../users/users.module';
import { AccountMfaController } from './account-mfa.controller';
import { RECOVERY_CODE_FACTOR, TOTP_FACTOR } from './mfa.constants';
import { MfaEnrolment } from './mfa-enrolment.service';
import { MfaFactorLock } from './mfa-factor-lock.entity';
import { MfaFactorLocks } from './mfa-factor-locks.service';
import { MfaMailer } from './mfa-mailer.service';
import { MfaSignInStep } from './mfa-sign-in-step';
import { SecondFactorRegistry } from './second-factor.registry';
import { SecondStepController } from './second-step.controller';
import { SecondStepService } from './second-step.service';
import { SecondStepThrottle } from './second-step.throttle';
import { TotpCredential } from './totp-credential.entity';
import { TotpService } from './totp.service';

/**
 * Multi-factor sign-in (docs/mfa.md): the second-factor registry every factor kind plugs into,
 * the second step after the password (held by the operator policy, mfa-policy), TOTP, recovery codes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([TotpCredential, MfaFactorLock]), SessionsModule, UsersModule, MfaPolicyModule, RecoveryCodesModule],
  controllers: [SecondStepController, AccountMfaController],
  providers: [
    SecondFactorRegistry,
    SecondStepService,
    SecondStepThrottle,
    MfaSignInStep,
    MfaEnrolment,
    MfaMailer,
    MfaFactorLocks,
    TotpService,
  ],
  // TotpService and the throttle: step-up checks a code against the same single-use rule and limit.
  exports: [SecondFactorRegistry, SecondStepService, MfaEnrolment, TotpService, SecondStepThrottle],
})
export class MfaModule {
  constructor(
    factors: SecondFactorRegistry,
    totp: TotpService,
    recovery: RecoveryCodesService,
    steps: SignInStepRegistry,
    signInStep: MfaSignInStep,
  ) {
    factors.register({
      id: TOTP_FACTOR,
      label: 'Authenticator app',
      order: 10,
      standalone: true,
      challengePath: '/login/second-factor/totp',
      enrolPath: '/account/mfa',
      enrolledAmong: (ids) => totp.enrolledAmong(ids),
      describe: async (id) => {
        const { confirmedAt } = await totp.status(id);
        return confirmedAt ? `Authenticator app (since ${confirmedAt.toISOString().slice(0, 10)})` : null;
      },
      resetForUser: async (id) => ((await totp.remove(id)) ? 1 : 0),
    });
    factors.register({
      id: RECOVERY_CODE_FACTOR,
      label: 'Recovery code',
      order: 90,
      standalone: false,
      challengePath: '/login/second-factor/recovery',
      enrolPath: '/account/mfa',
      enrolledAmong: (ids) => recovery.enrolledAmong(ids),
      countsAmong: (ids) => recovery.remainingAmong(ids),
      describe: async (id) => {
        const n = await recovery.remaining(id);
        return n > 0 ? `${n} recovery code${n === 1 ? '' : 's'} left` : null;
      },
      resetForUser: (id) => recovery.removeAll(id),
    });
    // No navigation link: the bar holds two rows at most; the account page links to /account/mfa.
    steps.register(signInStep);
  }
}
