import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { RequestMeta } from '../common/request-meta';
import { SessionsService } from '../sessions/sessions.service';
import { CredentialEpochService } from '../users/credential-epoch.service';
import { UsersService } from '../users/users.service';
import { MfaFactorLocks } from './mfa-factor-locks.service';
import { MfaMailer } from './mfa-mailer.service';
import { MfaPolicy } from '../mfa-policy/mfa-policy';
import { RecoveryCodesService } from '../recovery-codes/recovery-codes.service';
import { SecondFactorRegistry } from './second-factor.registry';
import { ENROL_STEP } from './second-step.service';
import { SecondStepThrottle } from './second-step.throttle';

/**
 * What happens around a factor's life, whichever kind it is (docs/mfa.md): enrolled (audited,
 * mailed, the first recovery codes, a session held at enrolment released), removed (refused when
 * the policy needs it, audited, mailed), and the admin reset of all of a user's factors.
 */
@Injectable()
export class MfaEnrolment {
  constructor(
    private readonly factors: SecondFactorRegistry,
    private readonly recovery: RecoveryCodesService,
    private readonly policy: MfaPolicy,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly epochs: CredentialEpochService,
    private readonly throttle: SecondStepThrottle,
    private readonly audit: AuditService,
    private readonly mailer: MfaMailer,
    private readonly locks: MfaFactorLocks,
  ) {}

  /**
   * A factor of kind `factorId` was just enrolled (and proved: `amr` is how, e.g. `otp`). Returns
   * the recovery codes to show once when this is the user's first factor (null otherwise). A
   * session held at enrolment by the policy becomes a full session with `amr` `['pwd', amr, 'mfa']`.
   */
  async enrolled(p: Principal, factor: { factorId: string; amr: string }, meta: RequestMeta): Promise<{ recoveryCodes: string[] | null }> {
    const userId = p.actor.id;
    // Under the user's lease: two first factors enrolled at once (an app and a passkey) would
    // otherwise both see no codes and both issue a set, the second voiding the one shown first.
    const recoveryCodes = await this.locks.with(userId, async () =>
      (await this.recovery.remaining(userId)) === 0 ? await this.recovery.regenerate(userId) : null,
    );
    if (p.pendingStep === ENROL_STEP) {
      await this.sessions.completeStep(p.credential.id, ENROL_STEP, { amr: ['pwd', factor.amr, 'mfa'] });
    }
    await this.audit.recordFor(p, {
      action: 'mfa.factor_added',
      outcome: 'success',
      target: { type: 'user', id: userId },
      meta,
      details: { factor: factor.factorId, ...(recoveryCodes ? { recoveryCodesIssued: recoveryCodes.length } : {}) },
    });
    if (p.user) {
      const kind = this.factors.get(factor.factorId);
      await this.mailer.notify(p.user.email, 'a second factor was added', [
        `A second factor (${kind?.label ?? factor.factorId}) was added to your Gatehouse account from ${meta.ip}.`,
      ]);
    }
    return { recoveryCodes };
  }

  /**
   * Removes one factor of kind `factorId` with `remove` (the owning module's delete), unless it is
   * the user's last standalone factor and the policy requires one: then 409 (ConflictException)
   * and `remove` is not called. `kindStaysEnrolled` says whether the kind remains enrolled
   * afterwards (another passkey is left); it and the check run under the user's factor lease
   * (MfaFactorLocks), so two concurrent removals of a user's last two factors cannot both pass.
   * Call `removed(…)` after.
   */
  async removeFactor<T>(p: Principal, factorId: string, kindStaysEnrolled: () => Promise<boolean>, remove: () => Promise<T>): Promise<T> {
    return this.locks.with(p.actor.id, async () => {
      if (!(await kindStaysEnrolled())) await this.assertMayRemove(p, factorId);
      return remove();
    });
  }

  /**
   * Refuses (409) removing the user's factor of kind `factorId` when it is their last standalone
   * factor and the policy requires one. Racy on its own: removals go through `removeFactor`.
   */
  private async assertMayRemove(p: Principal, factorId: string): Promise<void> {
    const user = await this.users.findById(p.actor.id);
    if (!user || !(await this.policy.requires(user))) return;
    const left = (await this.factors.enrolledFor(user.id)).filter((k) => k.standalone && k.id !== factorId);
    if (left.length === 0) {
      throw new ConflictException('Your administrator requires a second factor: add another one before removing this one.');
    }
  }

  /** A factor was removed: audited and mailed; with no standalone factor left, the recovery codes go too. */
  async removed(p: Principal, factorId: string, meta: RequestMeta): Promise<void> {
    const userId = p.actor.id;
    const hasFactor = await this.factors.hasFactor(userId);
    const codesRemoved = hasFactor ? 0 : await this.recovery.removeAll(userId);
    await this.audit.recordFor(p, {
      action: 'mfa.factor_removed',
      outcome: 'success',
      target: { type: 'user', id: userId },
      meta,
      details: { factor: factorId, ...(codesRemoved ? { recoveryCodesRemoved: codesRemoved } : {}) },
    });
    if (p.user) {
      const kind = this.factors.get(factorId);
      await this.mailer.notify(p.user.email, 'a second factor was removed', [
        `A second factor (${kind?.label ?? factorId}) was removed from your Gatehouse account from ${meta.ip}.`,
        ...(hasFactor ? [] : ['Your account no longer has a second factor: sign-in needs only the password.']),
      ]);
    }
  }

  /** A new set of recovery codes replaced the old one: audited and mailed. */
  async recoveryCodesRegenerated(p: Principal, meta: RequestMeta): Promise<void> {
    await this.audit.recordFor(p, {
      action: 'mfa.recovery_codes_regenerated',
      outcome: 'success',
      target: { type: 'user', id: p.actor.id },
      meta,
    });
    if (p.user) {
      await this.mailer.notify(p.user.email, 'new recovery codes', [
        `A new set of recovery codes was made for your Gatehouse account from ${meta.ip}; the old codes no longer work.`,
      ]);
    }
  }

  /**
   * Admin reset (admin API, admin page, CLI `user:mfa:reset`): removes every factor of every kind
   * and the recovery codes, moves the credential epoch (everything in flight ends: codes, refresh
   * families, access tokens; docs/adding-a-module.md) and ends the user's sessions, clears the
   * second-step limit and mails the user. The caller audits (`admin.user.mfa_reset`, CLI `user.mfa_reset`) with what this returns.
   */
  async resetAll(userId: string): Promise<{ removed: Record<string, number>; sessionsEnded: number }> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('No such user');
    const removed: Record<string, number> = {};
    for (const kind of this.factors.all()) removed[kind.id] = await kind.resetForUser(userId);
    await this.epochs.bump(userId, 'mfa_reset');
    const sessionsEnded = await this.sessions.revokeAllForUser(userId);
    await this.throttle.clearAccount(userId).catch(() => undefined);
    await this.mailer.notify(user.email, 'your second factors were reset', [
      'An administrator removed every second factor (authenticator app, passkeys, recovery codes) of your Gatehouse account',
      'and signed you out everywhere. Sign in again and set up a second factor from the account page.',
    ]);
    return { removed, sessionsEnded };
  }

  /** Audit details of a reset (factor ids are not camelCase keys, so they are values here). */
  static auditDetails(result: { removed: Record<string, number>; sessionsEnded: number }): Record<string, unknown> {
    return {
      removed: Object.entries(result.removed).map(([factor, count]) => ({ factor, count })),
      sessionsEnded: result.sessionsEnded,
    };
  }

  /**
   * Each user's enrolled factors for the admin users list and API: kind id, label and how many
   * (passkeys, unused recovery codes; TOTP 1), in the registry's order (one query per kind).
   */
  async factorsFor(userIds: readonly string[]): Promise<Map<string, { kind: string; label: string; count: number }[]>> {
    const map = await this.factors.countsForMany(userIds);
    return new Map([...map].map(([id, list]) => [id, list.map(({ kind, count }) => ({ kind: kind.id, label: kind.label, count }))]));
  }

  /** One user's factors, described by their kinds ("Authenticator app (since …)", "9 recovery codes left"). */
  async describeFor(userId: string): Promise<string[]> {
    const lines = await Promise.all(this.factors.all().map((k) => k.describe(userId)));
    return lines.filter((l): l is string => l !== null);
  }
}
