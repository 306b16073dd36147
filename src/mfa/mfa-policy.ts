import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { RequiredSignInStep, SignInStepProvider } from '../sessions/sign-in-steps';
import type { User } from '../users/user.entity';
import { MFA_REQUIREMENTS, MfaRequirement } from './mfa.environment';
import { MfaSetting } from './mfa-setting.entity';
import { ENROL_STEP, SECOND_FACTOR_STEP } from './second-step.service';
import { SecondFactorRegistry } from './second-factor.registry';

/** The `mfa_settings` row of the requirement. */
const REQUIRED_SETTING = 'required';

/**
 * The requirement in force and where it comes from: `admin` (set in the admin UI/API, stored,
 * wins) or `environment` (`MFA_REQUIRED`, the default until an admin sets one).
 */
export interface MfaPolicyState {
  required: MfaRequirement;
  source: 'admin' | 'environment';
  /** `MFA_REQUIRED` of this instance (what applies again if the stored value were removed). */
  environment: MfaRequirement;
  /** When and by whom (user id) the stored value was set; null with `source` `environment`. */
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** The second step's page; it sends the browser on to the first factor the user has. */
export const SECOND_STEP_PATH = '/login/second-factor';
/** The page a session held at enrolment is sent to. */
export const ENROL_PATH = '/account/mfa';

/** The role `MFA_REQUIRED=admins` covers. */
const ADMIN_ROLE = 'admin';

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
 * without one whom the requirement covers (`all`, or `admins` and the person holds the admin role)
 * goes to enrolment, and can do nothing else until a factor is enrolled. Bots never sign in.
 *
 * The requirement is the admin's stored value (`mfa_settings`), else `MFA_REQUIRED`. It is read
 * from the database at each use (one primary-key lookup per sign-in, factor removal or account
 * page; no cache), so a change made on one instance applies on every instance at its next sign-in
 * without any signal between them.
 */
@Injectable()
export class MfaPolicy implements SignInStepProvider {
  readonly steps = [SECOND_FACTOR_STEP, ENROL_STEP];

  constructor(
    private readonly factors: SecondFactorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(MfaSetting) private readonly settings: Repository<MfaSetting>,
  ) {}

  /** The requirement in force now (one primary-key read) and where it comes from. */
  async current(): Promise<MfaPolicyState> {
    const environment = this.config.mfa.required;
    const row = await this.settings.findOneBy({ name: REQUIRED_SETTING });
    const stored = row && (MFA_REQUIREMENTS as readonly string[]).includes(row.value) ? (row.value as MfaRequirement) : null;
    if (!stored) return { required: environment, source: 'environment', environment, updatedAt: null, updatedBy: null };
    return { required: stored, source: 'admin', environment, updatedAt: row!.updatedAt, updatedBy: row!.updatedBy };
  }

  /**
   * Stores the admin's requirement (it wins over `MFA_REQUIRED` from now on, on every instance).
   * Returns the state before and after; 400 for anything but `none` | `admins` | `all`. Whoever is
   * signed in keeps their session: a user the new value covers and who has no factor is held
   * at enrolment at their next sign-in.
   */
  async set(required: string, byUserId: string | null): Promise<{ before: MfaPolicyState; after: MfaPolicyState }> {
    if (!(MFA_REQUIREMENTS as readonly string[]).includes(required)) {
      throw new BadRequestException(`required must be one of ${MFA_REQUIREMENTS.join(', ')}`);
    }
    const before = await this.current();
    await this.settings.upsert({ name: REQUIRED_SETTING, value: required, updatedAt: new Date(), updatedBy: byUserId }, ['name']);
    return { before, after: await this.current() };
  }

  /** Whether the requirement in force covers this user (a person; `all`, or `admins` and an admin). */
  async requires(user: Pick<User, 'roles' | 'kind'>): Promise<boolean> {
    if (user.kind !== 'person') return false;
    return MfaPolicy.covers((await this.current()).required, user);
  }

  /** Whether the requirement `required` covers this user. */
  static covers(required: MfaRequirement, user: Pick<User, 'roles' | 'kind'>): boolean {
    if (user.kind !== 'person') return false;
    return required === 'all' || (required === 'admins' && user.roles.includes(ADMIN_ROLE));
  }

  async requiredAfterPassword(user: User): Promise<RequiredSignInStep | null> {
    if (user.kind !== 'person') return null;
    if (await this.factors.hasFactor(user.id)) return { step: SECOND_FACTOR_STEP, ttlMs: this.config.mfa.stepMs };
    if (await this.requires(user)) return { step: ENROL_STEP, ttlMs: 3 * this.config.mfa.stepMs };
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
