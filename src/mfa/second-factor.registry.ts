import { Injectable } from '@nestjs/common';

/**
 * One kind of second factor (TOTP, passkeys, recovery codes…), registered by the module that owns
 * it from its constructor: `registry.register({ id: 'passkey', … })`. The MFA core (src/mfa) lists
 * no kind by name: the second step, the account page's summary, the admin users list, the
 * `MFA_REQUIRED` policy and the admin reset all walk this registry.
 */
export interface SecondFactorKind {
  /** Stable id, lowercase (`totp`, `passkey`, `recovery-code`); used in audit details and the admin list. */
  readonly id: string;
  /** What people see on the second step's choice list and the admin users list ("Authenticator app", "Passkey"). */
  readonly label: string;
  /** Position on the second step's choice list, lower first (TOTP 10, passkey 20, recovery code 90). */
  readonly order: number;
  /**
   * Whether having it enrolled makes the user an MFA user (sent to the second step, satisfying
   * `MFA_REQUIRED`). False for a fallback that exists only beside a real factor (recovery codes).
   */
  readonly standalone: boolean;
  /**
   * Same-origin path (GET) of this factor's page at the second step, served by the owning module.
   * The core links to it as `${challengePath}?next=<return path>`; the page reads the pending
   * sign-in with `SecondStepService.pending(req)` and finishes it with `SecondStepService.complete`.
   */
  readonly challengePath: string;
  /** Same-origin path (GET) where a signed-in user enrols it (e.g. `/account/passkeys`). */
  readonly enrolPath: string;
  /**
   * The cookie routes (`"METHOD /route/:pattern"`, as Fastify names them) that enrolment needs, which a
   * session held at enrolment by `MFA_REQUIRED` may reach (everything else is refused until a
   * factor is enrolled). Enrolling there must end with `MfaEnrolment.enrolled(…)`.
   */
  readonly enrolRoutes?: readonly string[];
  /**
   * Which of these users have it enrolled (active, not half-enrolled), for the second step (one
   * id) and the admin users list (one page of ids): one query, never one per user.
   */
  enrolledAmong(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * How many each of these users has (passkeys, unused recovery codes), for the admin users list:
   * one query; users without any are absent. Left out, an enrolled user counts 1 (TOTP).
   */
  countsAmong?(userIds: readonly string[]): Promise<Map<string, number>>;
  /** A short line for the account page and the admin user page ("2 passkeys"), or null when none. */
  describe(userId: string): Promise<string | null>;
  /** Admin reset: removes every enrolment of this kind for the user; returns how many were removed. */
  resetForUser(userId: string): Promise<number>;
}

/** The registered {@link SecondFactorKind}s, in `order`. */
@Injectable()
export class SecondFactorRegistry {
  private readonly kinds: SecondFactorKind[] = [];

  register(kind: SecondFactorKind): void {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(kind.id)) throw new Error(`invalid second factor id ${JSON.stringify(kind.id)}`);
    if (this.kinds.some((k) => k.id === kind.id)) throw new Error(`second factor ${kind.id} registered twice`);
    this.kinds.push(kind);
    this.kinds.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  all(): readonly SecondFactorKind[] {
    return this.kinds;
  }

  get(id: string): SecondFactorKind | undefined {
    return this.kinds.find((k) => k.id === id);
  }

  /** The kinds this user has enrolled (standalone and fallback), in order. */
  async enrolledFor(userId: string): Promise<SecondFactorKind[]> {
    const hits = await Promise.all(this.kinds.map(async (k) => ((await k.enrolledAmong([userId])).has(userId) ? k : null)));
    return hits.filter((k): k is SecondFactorKind => k !== null);
  }

  /** Whether the user has at least one standalone factor (then sign-in needs a second step). */
  async hasFactor(userId: string): Promise<boolean> {
    return (await this.enrolledFor(userId)).some((k) => k.standalone);
  }

  /** For a page of users: user id → each enrolled kind and how many of it (one query per kind). */
  async countsForMany(userIds: readonly string[]): Promise<Map<string, { kind: SecondFactorKind; count: number }[]>> {
    const out = new Map<string, { kind: SecondFactorKind; count: number }[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const counts = await Promise.all(
      this.kinds.map(async (k) =>
        k.countsAmong ? k.countsAmong(userIds) : new Map([...(await k.enrolledAmong(userIds))].map((id) => [id, 1])),
      ),
    );
    this.kinds.forEach((kind, i) => {
      for (const [id, count] of counts[i]) if (count > 0) out.get(id)?.push({ kind, count });
    });
    return out;
  }

  /** For a page of users: user id → the kinds each has enrolled (one query per kind). */
  async enrolledForMany(userIds: readonly string[]): Promise<Map<string, SecondFactorKind[]>> {
    const out = new Map<string, SecondFactorKind[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const sets = await Promise.all(this.kinds.map((k) => k.enrolledAmong(userIds)));
    this.kinds.forEach((k, i) => {
      for (const id of sets[i]) out.get(id)?.push(k);
    });
    return out;
  }
}
