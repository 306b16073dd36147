import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../common/request-meta';
import { OutboxService } from '../outbox/outbox.service';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore } from '../rate-limits/attempt-counter.store';
import { SessionsService } from '../sessions/sessions.service';
import { issuedBeforeEpoch } from '../users/credential-epoch';
import { assertHasPassword, NoPasswordByDesignError, noPasswordReason } from '../users/no-password';
import { passwordProblem } from '../users/password-policy';
import { PasswordHasher } from '../users/password-hasher.service';
import { UsersService } from '../users/users.service';
import { ExternalSignInRegistry } from '../sign-in/external-sign-in.registry';
import { IssuedResetLink, PasswordResetLinksService } from './password-reset-links.service';
import { ResetMailer } from './reset-mailer.service';

/**
 * Reset-link emails per account per window. Each request mails a fresh link and supersedes the
 * last, so without a limit anyone knowing an address could flood its inbox and keep invalidating
 * the link its owner is about to use.
 */
export const RESET_EMAILS_PER_ACCOUNT = 3;
export const RESET_EMAIL_WINDOW_MS = 15 * 60_000;

/** The outbox topic of a "forgot password" request (processed after the request). */
export const RESET_REQUEST_TOPIC = 'account.password_reset_request';

interface ResetRequest {
  email: string;
  meta: RequestMeta;
}

/** A refused password change or reset, with the reason in words (shown on the form). */
export class PasswordRefusedError extends BadRequestException {}

/**
 * What a person does to their own password, and the reset links that let them set one without
 * the old. Every change ends the sessions that knew the old password and is audited as a
 * `user.*` event, which the user's own security events page lists.
 */
@Injectable()
export class AccountPasswordService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly links: PasswordResetLinksService,
    private readonly mailer: ResetMailer,
    private readonly audit: AuditService,
    @Inject(ATTEMPT_COUNTER_STORE) private readonly attempts: AttemptCounterStore,
    private readonly outbox: OutboxService,
    private readonly external: ExternalSignInRegistry,
  ) {
    outbox.register(RESET_REQUEST_TOPIC, (payload) => {
      const { email, meta } = payload as ResetRequest;
      return this.processResetRequest(email, meta);
    });
  }

  /**
   * Needs the current password; applies the strength rule; ends every other session of the user.
   * @returns how many other sessions ended
   * @throws PasswordRefusedError (400) with the reason
   */
  async change(p: Principal, current: string, next: string, meta: RequestMeta): Promise<number> {
    const user = p.user && (await this.users.findById(p.user.id));
    if (!user) throw new PasswordRefusedError('Only a signed-in person can change a password.');
    const none = noPasswordReason(user);
    if (none) throw new PasswordRefusedError(new NoPasswordByDesignError(none).message);
    if (!(await this.hasher.verify(current, user.passwordHash))) {
      await this.audit.recordFor(p, {
        action: 'user.password_change',
        outcome: 'failed',
        target: { type: 'user', id: user.id },
        meta,
        details: { reason: 'wrong_current_password' },
      });
      throw new PasswordRefusedError('Your current password is not correct.');
    }
    const problem = passwordProblem(next, user) ?? (next === current ? 'Choose a password different from the current one.' : null);
    if (problem) throw new PasswordRefusedError(problem);
    await this.users.setPassword(user.id, next);
    const ended = await this.sessions.revokeOthers(user.id, p.credential.id);
    await this.audit.recordFor(p, {
      action: 'user.password_change',
      outcome: 'success',
      target: { type: 'user', id: user.id },
      meta,
      details: { otherSessionsEnded: ended },
    });
    return ended;
  }

  /**
   * Issues a one-time reset link for the user, for an admin (page, API) or the CLI to hand over;
   * older unused links stop working. The caller audits it (admin.user.password_reset_link, or
   * the CLI's operator event): the link itself is never recorded.
   * @throws NoPasswordByDesignError (409) for a bot or SSO-only account
   */
  async issueLink(userId: string, issuedById: string | null): Promise<IssuedResetLink> {
    const user = await this.users.findById(userId);
    if (user) assertHasPassword(user);
    return this.links.issue(userId, issuedById);
  }

  /**
   * "Forgot password": answers at once and the same in every case (issue 22 §3: no account
   * enumeration by content or by timing). The request only puts the address in the outbox, one
   * INSERT whether or not an account has it; the outbox then runs `processResetRequest` after the
   * request, which looks the account up and queues the email.
   */
  async requestByEmail(email: string, meta: RequestMeta): Promise<void> {
    await this.outbox.enqueue(RESET_REQUEST_TOPIC, { email, meta } satisfies ResetRequest, {
      notAfter: new Date(Date.now() + RESET_EMAIL_WINDOW_MS),
    });
  }

  /**
   * Out of the request (the outbox handler of `requestByEmail`): queues an email with a fresh link
   * when SMTP is configured and an active account with a password has that email, at most
   * RESET_EMAILS_PER_ACCOUNT per RESET_EMAIL_WINDOW_MS, and audits the request either way.
   * Throws (the outbox retries) when the shared counter store (Redis) is down.
   */
  async processResetRequest(email: string, meta: RequestMeta): Promise<void> {
    const user = await this.users.findByEmail(email);
    // An account without a password by design (bot, SSO-only) gets no link.
    const noPassword = user ? noPasswordReason(user) : null;
    let sent = Boolean(user && user.status === 'active' && !noPassword && this.mailer.enabled);
    let limited = false;
    if (user && sent) {
      // Counted by account (not by the address as typed), in the shared store; fails closed.
      const [count] = await this.attempts.hit([`reset-email:${user.id}`], RESET_EMAIL_WINDOW_MS, Date.now());
      limited = count.count > RESET_EMAILS_PER_ACCOUNT;
      sent = !limited;
    }
    if (user && sent) {
      const link = await this.links.issue(user.id, null);
      await this.mailer.queueResetLink(user.email, link.url, link.expiresAt);
    }
    await this.audit.record({
      action: 'user.password_reset_request',
      outcome: sent ? 'success' : 'denied',
      actor: user ? { type: 'user', id: user.id } : undefined,
      target: user ? { type: 'user', id: user.id } : undefined,
      meta,
      ...(limited ? { details: { reason: 'rate_limited' } } : noPassword ? { details: { reason: 'no_password_by_design' } } : {}),
    });
  }

  /** Whether a reset token is live (for the page), without using it. */
  async linkIsLive(token: string): Promise<boolean> {
    return (await this.usableLink(token)) !== null;
  }

  /**
   * The link and its user, if the link is live and still stands: the user is active, has a
   * password by design, and the link was issued after the user's credential epoch (issue 22 §1–2:
   * a password change by the user or an admin, revoke-all or disabling the account void it).
   */
  private async usableLink(token: string) {
    const link = await this.links.findLive(token);
    const user = link && (await this.users.findById(link.userId));
    if (!link || !user || user.status !== 'active' || noPasswordReason(user) || issuedBeforeEpoch(user, link.createdAt)) return null;
    return { link, user };
  }

  /**
   * Sets a new password with a live link, once: the link is consumed, every session of the user
   * ends (whoever had the old password is out) and a temporary password stops being one.
   * @throws PasswordRefusedError when the link is unknown, used or expired, or the password too weak
   */
  async resetWithLink(token: string, next: string, meta: RequestMeta): Promise<void> {
    const usable = await this.usableLink(token);
    if (!usable) throw new PasswordRefusedError(INVALID_LINK);
    const { link, user } = usable;
    // A link issued before the domain required single sign-on no longer sets a password.
    const refusal = await this.external.passwordRefusal(user.email);
    if (refusal) throw new PasswordRefusedError(refusal.message);
    const problem = passwordProblem(next, user);
    if (problem) throw new PasswordRefusedError(problem);
    if (!(await this.links.consume(link))) throw new PasswordRefusedError(INVALID_LINK);
    await this.users.setPassword(user.id, next);
    const ended = await this.sessions.revokeAllForUser(user.id);
    await this.audit.record({
      action: 'user.password_reset_by_link',
      outcome: 'success',
      actor: { type: 'user', id: user.id },
      target: { type: 'user', id: user.id },
      meta,
      details: { sessionsEnded: ended },
    });
  }
}

export const INVALID_LINK = 'This reset link is not valid any more: it was used, it expired, or a newer one was issued. Ask for a new one.';
