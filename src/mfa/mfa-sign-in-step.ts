import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MfaPolicy } from '../mfa-policy/mfa-policy';
import type { RequiredSignInStep, SignInStepProvider } from '../sessions/sign-in-steps';
import type { User } from '../users/user.entity';
import { ENROL_STEP, SECOND_FACTOR_STEP } from './second-step.service';
import { SecondFactorRegistry } from './second-factor.registry';

/** The second step's page; it sends the browser on to the first factor the user has. */
export const SECOND_STEP_PATH = '/login/second-factor';
/** The page a session held at enrolment is sent to. */
export const ENROL_PATH = '/account/mfa';

/** The MFA core's own routes a session held at enrolment may reach (the TOTP enrolment). */
const ENROL_ROUTES = new Set([
  'GET /account/mfa',
  'POST /account/mfa/totp',
  'POST /account/mfa/totp/confirm',
  'POST /account/mfa/totp/cancel',
]);

/**
 * When a sign-in needs a step after the password (plugged into the sessions module's
 * SignInStepRegistry): a person with a factor enrolled goes to the second step; a person
 * without one whom the requirement covers (MfaPolicy) goes to enrolment, and can do nothing
 * else until a factor is enrolled. Bots never sign in.
 */
@Injectable()
export class MfaSignInStep implements SignInStepProvider {
  readonly steps = [SECOND_FACTOR_STEP, ENROL_STEP];

  constructor(
    private readonly factors: SecondFactorRegistry,
    private readonly policy: MfaPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async requiredAfterPassword(user: User): Promise<RequiredSignInStep | null> {
    if (user.kind !== 'person') return null;
    if (await this.factors.hasFactor(user.id)) return { step: SECOND_FACTOR_STEP, ttlMs: this.config.mfa.stepMs };
    if (await this.policy.requires(user)) return { step: ENROL_STEP, ttlMs: 3 * this.config.mfa.stepMs };
    return null;
  }

  pathOf(step: string): string {
    return step === ENROL_STEP ? ENROL_PATH : SECOND_STEP_PATH;
  }

  allows(step: string, route: string): boolean {
    if (step !== ENROL_STEP) return false;
    return ENROL_ROUTES.has(route) || this.factors.all().some((k) => k.enrolRoutes?.includes(route) ?? false);
  }
}
