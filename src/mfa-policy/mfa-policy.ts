import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import { MFA_REQUIREMENTS, MfaRequirement } from './mfa-requirement';
import { MfaSetting } from './mfa-setting.entity';

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

/** The role `MFA_REQUIRED=admins` covers. */
const ADMIN_ROLE = 'admin';

/**
 * Who must have a second factor: a person whom the requirement covers (`all`, or `admins` and the
 * person holds the admin role). The MFA core's sign-in step (mfa/mfa-sign-in-step.ts) holds such a
 * person without a factor at enrolment; factor removal refuses their last one. Bots never sign in.
 *
 * The requirement is the admin's stored value (`mfa_settings`), else `MFA_REQUIRED`. It is read
 * from the database at each use (one primary-key lookup per sign-in, factor removal or account
 * page; no cache), so a change made on one instance applies on every instance at its next sign-in
 * without any signal between them.
 */
@Injectable()
export class MfaPolicy {
  constructor(
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
}
