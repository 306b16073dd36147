import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CounterStoreUnavailableError } from '../rate-limits/attempt-counter.store';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { safeReturnPath } from '../sign-in/return-path';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { MfaMailer } from './mfa-mailer.service';
import { SecondStepThrottle } from './second-step.throttle';

/** `sessions.pending_step` of a sign-in waiting for its second factor. */
export const SECOND_FACTOR_STEP = 'mfa';
/** `sessions.pending_step` of a sign-in that must enrol a factor first (`MFA_REQUIRED`). */
export const ENROL_STEP = 'mfa-enrol';

/** A sign-in that has passed the password and waits for its second factor. */
export interface PendingSignIn {
  sessionId: string;
  user: { id: string; email: string; displayName: string };
  /** How the user has authenticated so far (`['pwd']`). */
  amr: readonly string[];
  /** Where to go once signed in (the checked `next` of the request, else `/account`). */
  next: string;
  /** The CSRF token the step's forms must carry (`_csrf`). */
  csrf: string;
}

/** A second-step attempt refused before its code was checked: too many failures (429) or the limit store down (503). */
export class SecondStepRefusedError extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    message: string,
    readonly retryAfter: number,
  ) {
    super({ statusCode: status, error: status === 429 ? 'too_many_requests' : 'service_unavailable', message }, status);
  }
}

/**
 * The second step of a sign-in, for every factor kind's page (docs/mfa.md): find the pending
 * sign-in, count an attempt against the limit, record a failure, or complete it (the session
 * becomes full). The pages themselves are `@Public()`: a partial session is no principal.
 */
@Injectable()
export class SecondStepService {
  private readonly logger = new Logger('SecondStep');

  constructor(
    private readonly cookies: SessionCookieService,
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfService,
    private readonly throttle: SecondStepThrottle,
    private readonly audit: AuditService,
    private readonly mailer: MfaMailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The request's sign-in waiting for a second factor, or null (none, a full session, or the partial state expired). */
  async pending(req: FastifyRequest): Promise<PendingSignIn | null> {
    const secret = await this.cookies.open(req);
    if (!secret) return null;
    const session = await this.sessions.authenticate(secret);
    if (!session || session.pendingStep !== SECOND_FACTOR_STEP) return null;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const query = (req.query ?? {}) as Record<string, unknown>;
    return {
      sessionId: session.id,
      user: { id: session.user.id, email: session.user.email, displayName: session.user.displayName },
      amr: session.amr ?? ['pwd'],
      next: safeReturnPath(body.next ?? query.next, this.config.publicUrl),
      csrf: this.csrf.tokenFor(session.id),
    };
  }

  /**
   * Before checking a response: the CSRF rules of a cookie request (same origin; a form post
   * carries `_csrf`), then the per-account and per-IP limit, which counts this attempt.
   * Throws CsrfError (403) or {@link SecondStepRefusedError} (429/503, `Retry-After` set on `reply`).
   */
  async beginAttempt(req: FastifyRequest, reply: FastifyReply, pending: PendingSignIn): Promise<void> {
    this.csrf.verify(req, pending.sessionId);
    let verdict;
    try {
      verdict = await this.throttle.claim(pending.user.id, req.ip);
    } catch (err) {
      if (!(err instanceof CounterStoreUnavailableError)) throw err;
      this.logger.error(`Second step refused: ${err.message}`);
      void reply.header('retry-after', '5');
      throw new SecondStepRefusedError(HttpStatus.SERVICE_UNAVAILABLE, 'Sign-in is temporarily unavailable. Try again shortly.', 5);
    }
    if (verdict.retryAfter > 0) {
      await this.audit.record({
        action: 'auth.mfa',
        outcome: 'denied',
        actor: { type: 'user', id: pending.user.id },
        credential: { kind: 'session', id: pending.sessionId },
        meta: requestMeta(req),
        details: { reason: 'rate_limited' },
      });
      void reply.header('retry-after', String(verdict.retryAfter));
      throw new SecondStepRefusedError(
        HttpStatus.TOO_MANY_REQUESTS,
        `Too many wrong codes. Try again in ${verdict.retryAfter} seconds.`,
        verdict.retryAfter,
      );
    }
  }

  /** The response was wrong: audited; the attempt stays counted. Past the limit the owner is told once. */
  async fail(req: FastifyRequest, pending: PendingSignIn, factorId: string, reason = 'wrong_code'): Promise<void> {
    const meta = requestMeta(req);
    const actor = { type: 'user' as const, id: pending.user.id };
    await this.audit.record({
      action: 'auth.mfa',
      outcome: 'failed',
      actor,
      credential: { kind: 'session', id: pending.sessionId },
      meta,
      details: { factor: factorId, reason },
    });
    if (!(await this.throttle.accountAtLimit(pending.user.id).catch(() => false))) return;
    await this.audit.record({ action: 'auth.mfa_locked', outcome: 'denied', actor, target: { type: 'user', id: pending.user.id }, meta });
    await this.mailer.notify(pending.user.email, 'failed sign-in attempts', [
      `Your password was entered correctly, but the second step then failed ${this.config.mfa.maxFailuresPerAccount} times (from ${meta.ip}).`,
      'Further attempts wait a while. If this was not you, someone knows your password: change it now.',
    ]);
  }

  /**
   * The response was right: the session becomes full (`amr` += the method and `mfa`, `auth_time`
   * now), the attempt is taken back from the limit, and the browser goes to `next` (303) or the
   * JSON caller gets `{ next }`. A partial state that expired meanwhile sends it to sign in again.
   */
  async complete(
    req: FastifyRequest,
    reply: FastifyReply,
    pending: PendingSignIn,
    result: { factorId: string; amr: string },
  ): Promise<FastifyReply> {
    const amr = [...new Set([...pending.amr, result.amr, 'mfa'])];
    const done = await this.sessions.completeStep(pending.sessionId, SECOND_FACTOR_STEP, { amr });
    if (!done) {
      void reply.status(401);
      return isFormPost(req)
        ? reply.redirect(`/login?next=${encodeURIComponent(pending.next)}`, 303)
        : reply.send({ statusCode: 401, error: 'sign_in_expired', message: 'The sign-in expired: sign in again.' });
    }
    try {
      await this.throttle.succeeded(pending.user.id, req.ip);
    } catch (err) {
      this.logger.warn(`Could not take back a second-step attempt: ${(err as Error).message}`);
    }
    await this.audit.record({
      action: 'auth.mfa',
      outcome: 'success',
      actor: { type: 'user', id: pending.user.id },
      credential: { kind: 'session', id: pending.sessionId },
      meta: requestMeta(req),
      details: { factor: result.factorId },
    });
    return isFormPost(req) ? reply.redirect(pending.next, 303) : reply.status(200).send({ next: pending.next, amr });
  }
}
