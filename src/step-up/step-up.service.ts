import { HttpStatus, Inject, Injectable, Logger, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { RequestMeta, requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SecondStepThrottle } from '../mfa/second-step.throttle';
import { counterRegressionEvent, PasskeyError, refusalOutcome } from '../passkeys/passkey.error';
import { PasskeysService } from '../passkeys/passkeys.service';
import { normalizeTotpCode, TotpService } from '../mfa/totp.service';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore, CounterStoreUnavailableError } from '../rate-limits/attempt-counter.store';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { safeReturnPath } from '../sign-in/return-path';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { noPasswordReason } from '../users/no-password';
import { PasswordHasher } from '../users/password-hasher.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { STEP_UP_PASSKEY_OPTIONS_URL, StepUpPage, StepUpRequiredError } from './step-up-required.error';

/**
 * How a person may confirm access. Each adds RFC 8176 `amr` values to the session: `pwd`, `otp`,
 * or for a passkey what a passkey sign-in records (`hwk` device-bound / `swk` synced, `mfa` when
 * the authenticator verified the user).
 */
export type StepUpMethod = 'password' | 'totp' | 'passkey';
const METHODS: readonly unknown[] = ['password', 'totp', 'passkey'] satisfies StepUpMethod[];

/** The re-authentication a request offers: the page's fields, or a JSON body's. */
export interface StepUpAttempt {
  method?: unknown;
  password?: unknown;
  code?: unknown;
  /** Method `passkey`: the browser's `startAuthentication()` result (AuthenticationResponseJSON) as a JSON string. */
  response?: unknown;
}

/** The outcome of checking one attempt: the `amr` it earns, or why it was refused (and how the audit log records that). */
type Check =
  | { ok: true; amr: string[]; details?: Record<string, unknown> }
  | { ok: false; status: number; error: string; message: string; outcome: 'failed' | 'denied'; details: Record<string, unknown> };

export type StepUpVerdict =
  { ok: true; amr: string[]; authTime: Date } | { ok: false; status: number; error: string; message: string; retryAfter?: number };

/** The longest password looked at (a 10 KB one is refused before any hashing). */
const MAX_PASSWORD_LENGTH = 1024;
/** How long the re-authentication page's carried form stays usable. */
const CARRY_TTL_MS = 10 * 60_000;
/** The largest form carried through the page (forms here are a few hundred bytes). */
const MAX_CARRY_LENGTH = 32_000;
/** With `SUDO_MODE_SECONDS=0`: how long POST /step-up's one-time grant for a named action waits for it. */
const GRANT_TTL_MS = 120_000;

const MESSAGES: Record<'password' | 'totp', { malformed: string; wrong: string }> = {
  password: { malformed: 'Enter your password.', wrong: 'That password is not right.' },
  totp: {
    malformed: 'Enter the six-digit code your authenticator app shows (digits only).',
    wrong: 'That code is not right, or was already used. Wait for the next one and try again.',
  },
};

/**
 * Step-up ("sudo mode", docs/mfa.md#step-up-sudo-mode): whether a browser session authenticated recently
 * enough for a sensitive action, the re-authentication itself (password, authenticator code or a
 * passkey assertion, WebAuthn Level 3 §7.2, through PasskeysService; counted against the second
 * step's limit, audited, moving `auth_time` forward and adding to `amr`), and the refused form carried through the re-authentication page, sealed.
 */
@Injectable()
export class StepUpService {
  private readonly logger = new Logger('StepUp');
  readonly windowMs: number;

  constructor(
    private readonly sessions: SessionsService,
    private readonly cookies: SessionCookieService,
    private readonly csrf: CsrfService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpService,
    private readonly throttle: SecondStepThrottle,
    private readonly passkeys: PasskeysService,
    private readonly audit: AuditService,
    @Inject(ATTEMPT_COUNTER_STORE) private readonly store: AttemptCounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.windowMs = config.mfa.sudoModeMs;
  }

  /**
   * The check on a route carrying @RequiresRecentAuthentication(), for a full browser session:
   * passes when the session authenticated within the window, when the request is the page's
   * re-authentication of this very action (then `req.body` becomes the carried form), or (window
   * 0, JSON) when POST /step-up left a one-time grant for it. Throws StepUpRequiredError otherwise.
   */
  async admit(req: FastifyRequest, p: Principal): Promise<void> {
    const action = actionOf(req);
    const form = isFormPost(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (form && typeof body._stepup === 'string') return this.resume(req, p, body, action);
    if (await this.isFresh(p.credential.id)) return;
    if (!form) {
      if (this.windowMs === 0 && (await this.consumeGrant(p.credential.id, action))) return;
      throw StepUpRequiredError.api(action);
    }
    const { _csrf: _token, ...fields } = body;
    const carry = await this.seal(p, req, fields);
    throw StepUpRequiredError.page(HttpStatus.FORBIDDEN, await this.pageFor(p, { action: this.formAction(req), carry }));
  }

  /** Whether the session's user authenticated within `SUDO_MODE_SECONDS` (never with 0). */
  async isFresh(sessionId: string): Promise<boolean> {
    if (this.windowMs === 0) return false;
    const auth = await this.sessions.authenticationOf(sessionId);
    return auth !== null && Date.now() - auth.authTime.getTime() <= this.windowMs;
  }

  /**
   * Checks a re-authentication of the session behind `p`: the method must be one the user has,
   * the attempt is counted against the second step's limit (per account and IP) before it is
   * checked, audited (`auth.step_up`, `details.method`; a refusal's `details.reason`). Right:
   * `auth_time` is now, `amr` gains the method's values. A passkey must answer this session's
   * step-up challenge with one of this user's passkeys (PasskeysService.verifyStepUp); its refusals
   * are 4xx with the passkey reason as `error` (`challenge_missing`, `wrong_user`, …), and a counter
   * that went backwards is also audited `passkey.counter_regression`, as at sign-in.
   */
  async verify(req: FastifyRequest, p: Principal, attempt: StepUpAttempt, action: string): Promise<StepUpVerdict> {
    const userId = p.actor.id;
    const user = await this.users.findById(userId);
    const method = attempt.method;
    if (!user || !METHODS.includes(method)) {
      return {
        ok: false,
        status: 400,
        error: 'invalid_request',
        message: 'Choose how to confirm: your password, an authenticator code or a passkey.',
      };
    }
    if (!(await this.methods(user))[method as StepUpMethod]) {
      return { ok: false, status: 400, error: 'invalid_request', message: 'That way of confirming is not set up for your account.' };
    }
    const meta = requestMeta(req);
    const record = (outcome: 'success' | 'failed' | 'denied', details: Record<string, unknown>) =>
      this.audit.recordFor(p, {
        action: 'auth.step_up',
        outcome,
        target: { type: 'user', id: userId },
        meta,
        details: { method, action, ...details },
      });
    let wait: number;
    try {
      wait = (await this.throttle.claim(userId, req.ip)).retryAfter;
    } catch (err) {
      if (!(err instanceof CounterStoreUnavailableError)) throw err;
      this.logger.error(`Step-up refused: ${err.message}`);
      return {
        ok: false,
        status: 503,
        error: 'service_unavailable',
        message: 'Confirming is temporarily unavailable. Try again shortly.',
        retryAfter: 5,
      };
    }
    if (wait > 0) {
      await record('denied', { reason: 'rate_limited' });
      return {
        ok: false,
        status: 429,
        error: 'too_many_requests',
        message: `Too many wrong attempts. Try again in ${wait} seconds.`,
        retryAfter: wait,
      };
    }
    const checked = await this.check(method as StepUpMethod, user.id, user.passwordHash, p.credential.id, attempt, meta);
    if (!checked.ok) {
      await record(checked.outcome, checked.details);
      return { ok: false, status: checked.status, error: checked.error, message: checked.message };
    }
    try {
      await this.throttle.succeeded(userId, req.ip);
    } catch (err) {
      this.logger.warn(`Could not take back a step-up attempt: ${(err as Error).message}`);
    }
    const before = await this.sessions.authenticationOf(p.credential.id);
    const amr = [...new Set([...(before?.amr ?? []), ...checked.amr])];
    const authTime = new Date();
    await this.sessions.recordAuthentication(p.credential.id, { amr }, authTime);
    await record('success', checked.details ?? {});
    return { ok: true, amr, authTime };
  }

  /** With `SUDO_MODE_SECONDS=0`, after POST /step-up: the next request of this session to `action` (`"POST /account/tokens"`) passes, once. */
  async grant(sessionId: string, action: string): Promise<void> {
    const key = grantKey(sessionId, action);
    await this.store.delete([key]);
    await this.store.hit([key], GRANT_TTL_MS, Date.now());
  }

  /** The re-authentication page's data for this user. */
  async pageFor(p: Principal, opts: Pick<StepUpPage, 'action' | 'carry' | 'returnTo' | 'error'>): Promise<StepUpPage> {
    const user = await this.users.findById(p.actor.id);
    const has = user ? await this.methods(user) : { password: false, totp: false, passkey: false };
    return {
      ...opts,
      csrf: this.csrf.tokenFor(p.credential.id),
      email: user?.email ?? '',
      ...has,
      passkeyOptionsUrl: STEP_UP_PASSKEY_OPTIONS_URL,
      windowMinutes: Math.ceil(this.windowMs / 60_000),
    };
  }

  /**
   * The passkey ceremony's options for re-authenticating the session behind `p` (WebAuthn Level 3
   * §7.2): PublicKeyCredentialRequestOptionsJSON with the user's passkeys as `allowCredentials`, the
   * challenge bound to this session and purpose `step-up`. Throws PasskeyError 400 without a passkey.
   */
  passkeyOptions(p: Principal): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.stepUpOptions(p.actor.id, p.credential.id);
  }

  /** Which ways of confirming this user has. */
  private async methods(user: User): Promise<Record<StepUpMethod, boolean>> {
    const [totp, passkeys] = await Promise.all([this.totp.status(user.id), this.passkeys.countForUser(user.id)]);
    return { password: noPasswordReason(user) === null, totp: totp.confirmedAt !== null, passkey: passkeys > 0 };
  }

  /** The page's re-authentication of the refused action: checked, then the action goes on with its carried form. */
  private async resume(req: FastifyRequest, p: Principal, body: Record<string, unknown>, action: string): Promise<void> {
    const fields = await this.open(body._stepup as string, p, req);
    const formAction = this.formAction(req);
    if (!fields) {
      throw StepUpRequiredError.page(
        HttpStatus.BAD_REQUEST,
        await this.pageFor(p, { action: formAction, error: 'This confirmation expired or was altered. Go back and repeat the action.' }),
      );
    }
    const verdict = await this.verify(req, p, stepUpFields(body), action);
    if (!verdict.ok) {
      throw StepUpRequiredError.page(
        verdict.status,
        await this.pageFor(p, { action: formAction, carry: body._stepup as string, error: verdict.message }),
        verdict.retryAfter,
      );
    }
    // The action runs on the form it was refused with (its validation, its own checks), under this request's CSRF token.
    req.body = { ...fields, ...(body._csrf !== undefined ? { _csrf: body._csrf } : {}) };
  }

  private async check(
    method: StepUpMethod,
    userId: string,
    passwordHash: string,
    sessionId: string,
    attempt: StepUpAttempt,
    meta: RequestMeta,
  ): Promise<Check> {
    if (method === 'passkey') {
      try {
        const a = await this.passkeys.verifyStepUp(userId, sessionId, typeof attempt.response === 'string' ? attempt.response : '');
        return { ok: true, amr: a.amr, details: { passkeyId: a.passkey.id, userVerified: a.userVerified } };
      } catch (err) {
        if (!(err instanceof PasskeyError)) throw err;
        const regression = counterRegressionEvent(err, meta);
        if (regression) await this.audit.record(regression);
        return {
          ok: false,
          status: err.status,
          error: err.reason,
          message: err.message,
          outcome: refusalOutcome(err),
          details: { reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) },
        };
      }
    }
    let outcome: 'ok' | 'malformed' | 'wrong';
    if (method === 'password') {
      const pw = attempt.password;
      if (typeof pw !== 'string' || pw.length === 0 || pw.length > MAX_PASSWORD_LENGTH) outcome = 'malformed';
      else outcome = (await this.hasher.verify(pw, passwordHash)) ? 'ok' : 'wrong';
    } else {
      const code = normalizeTotpCode(attempt.code);
      outcome = !code ? 'malformed' : (await this.totp.verifyCode(userId, code)) ? 'ok' : 'wrong';
    }
    if (outcome === 'ok') return { ok: true, amr: [method === 'password' ? 'pwd' : 'otp'] };
    return {
      ok: false,
      status: outcome === 'malformed' ? 400 : 401,
      error: outcome === 'malformed' ? 'invalid_request' : method === 'password' ? 'wrong_password' : 'wrong_code',
      message: MESSAGES[method][outcome],
      outcome: 'failed',
      details: { reason: outcome },
    };
  }

  /** The refused form, sealed (JWE, the session cookie's key) and bound to this session, method and URL. */
  private async seal(p: Principal, req: FastifyRequest, fields: Record<string, unknown>): Promise<string> {
    if (JSON.stringify(fields).length > MAX_CARRY_LENGTH)
      throw new PayloadTooLargeException('This form is too large to carry through the confirmation.');
    return this.cookies.sealClaims({ stu: { sid: p.credential.id, m: req.method, u: req.url, f: fields } }, CARRY_TTL_MS);
  }

  private async open(sealed: string, p: Principal, req: FastifyRequest): Promise<Record<string, unknown> | null> {
    if (sealed.length > MAX_CARRY_LENGTH * 2) return null;
    const claims = await this.cookies.openClaims(sealed);
    const stu = claims?.stu as { sid?: unknown; m?: unknown; u?: unknown; f?: unknown } | undefined;
    if (!stu || typeof stu !== 'object' || stu.sid !== p.credential.id || stu.m !== req.method || stu.u !== req.url) return null;
    const f = stu.f;
    return f && typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, unknown>) : null;
  }

  /** Where the page posts back to: this request's own URL (checked like every return path). */
  private formAction(req: FastifyRequest): string {
    return safeReturnPath(req.url, this.config.publicUrl);
  }

  private async consumeGrant(sessionId: string, action: string): Promise<boolean> {
    const key = grantKey(sessionId, action);
    try {
      const [c] = await this.store.read([key]);
      if (!c || c.count !== 1) return false;
      // One atomic increment: of concurrent requests only the one that moves it to 2 uses the grant.
      const [after] = await this.store.hit([key], GRANT_TTL_MS, Date.now());
      return after.count === 2;
    } catch (err) {
      if (err instanceof CounterStoreUnavailableError) return false;
      throw err;
    }
  }
}

/** The re-authentication page's fields of a form post (`_stepup_method`, `_stepup_password`, `_stepup_code`, `_stepup_response`). */
export function stepUpFields(body: Record<string, unknown>): StepUpAttempt {
  return { method: body._stepup_method, password: body._stepup_password, code: body._stepup_code, response: body._stepup_response };
}

/** `"POST /account/tokens"`: the method and the route's pattern, as the 403 names it. */
export function actionOf(req: FastifyRequest): string {
  return `${req.method} ${req.routeOptions.url ?? ''}`;
}

function grantKey(sessionId: string, action: string): string {
  return `stepup:grant:${sessionId}:${createHash('sha256').update(action).digest('base64url').slice(0, 22)}`;
}
