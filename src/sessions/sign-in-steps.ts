import { Injectable } from '@nestjs/common';
import type { User } from '../users/user.entity';

/** A step a sign-in must still pass after the password, as decided by a {@link SignInStepProvider}. */
export interface RequiredSignInStep {
  /** The step's name, stored in `sessions.pending_step` (lowercase, ≤ 32 characters). */
  step: string;
  /** How long the partial state lasts before the session stops authenticating. */
  ttlMs: number;
}

/**
 * What a module adding a step after the password (the MFA module) plugs into the sessions module:
 * when a step is needed and what a session in it may do. The sessions module names no step.
 */
export interface SignInStepProvider {
  /** The steps this provider defines (names it may return from `requiredAfterPassword`). */
  readonly steps: readonly string[];
  /** After a correct password: the step this user's new session must pass first, or null. */
  requiredAfterPassword(user: User): Promise<RequiredSignInStep | null>;
  /** Where a browser in this step is sent (a same-origin path; `?next=` is added). */
  pathOf(step: string): string;
  /**
   * Whether a session in this step is a principal on this route (`"GET /account/mfa"`: method and
   * the route's pattern). Sign-out is always allowed; everything else defaults to refused.
   */
  allows(step: string, route: string): boolean;
}

/**
 * The registered {@link SignInStepProvider}s. A partial session (one with `pending_step`) is refused
 * by the cookie strategy on every route its step does not allow, with a redirect to the step's page
 * for a browser; a step no provider defines allows nothing, so a partial session never falls open.
 */
@Injectable()
export class SignInStepRegistry {
  private readonly providers: SignInStepProvider[] = [];

  register(provider: SignInStepProvider): void {
    this.providers.push(provider);
  }

  async requiredAfterPassword(user: User): Promise<RequiredSignInStep | null> {
    for (const p of this.providers) {
      const step = await p.requiredAfterPassword(user);
      if (step) return step;
    }
    return null;
  }

  /** The page of a step, or the sign-in page when no provider defines it. */
  pathOf(step: string): string {
    return this.providerOf(step)?.pathOf(step) ?? '/login';
  }

  allows(step: string, route: string): boolean {
    return this.providerOf(step)?.allows(step, route) ?? false;
  }

  private providerOf(step: string): SignInStepProvider | undefined {
    return this.providers.find((p) => p.steps.includes(step));
  }
}
