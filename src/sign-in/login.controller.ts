import { Body, Controller, Get, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Public } from '../auth/decorators/public.decorator';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import { credentialsRefused, rateLimitRejections } from '../metrics/metrics';
import { requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PasswordHasher } from '../users/password-hasher.service';
import { normalizeEmail, UsersService } from '../users/users.service';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { LoginDto } from './dto/login.dto';
import { FailureOutcome, LoginThrottle, ThrottleVerdict } from './login-throttle.service';
import { CounterStoreUnavailableError } from '../rate-limits/attempt-counter.store';
import { loginHintOf, safeReturnPath } from './return-path';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { SignInHints } from './sign-in-hints';
import { ExternalSignInRegistry } from './external-sign-in.registry';
import { SignInStepRegistry } from '../sessions/sign-in-steps';

const INVALID_CREDENTIALS = 'Email or password is incorrect';
const SIGN_IN_RETRY_AFTER_SECONDS = 5;

@ApiTags('sessions')
@Controller()
export class LoginController {
  private readonly logger = new Logger('Sign-in');

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly cookies: SessionCookieService,
    private readonly csrf: CsrfService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly hints: SignInHints,
    private readonly flash: FlashService,
    private readonly external: ExternalSignInRegistry,
    private readonly steps: SignInStepRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @ApiExcludeEndpoint()
  @Get('login')
  async loginPage(@Query('next') next: string | undefined, @Res() reply: FastifyReply) {
    const returnPath = safeReturnPath(next, this.config.publicUrl);
    return reply.header('cache-control', 'no-store').view('login.hbs', {
      title: 'Sign in',
      next: returnPath,
      email: loginHintOf(returnPath),
      purpose: await this.hints.describe(returnPath),
      external: await this.external.buttons(returnPath),
    });
  }

  /** Accepts the sign-in form and JSON `{ email, password }`. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Signed in; the session cookie is set' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins from this IP or for this account' })
  @ApiServiceUnavailableResponse({
    description: 'The shared failure counters (Redis) are unreachable: sign-in fails closed, with Retry-After',
  })
  async login(@Body() body: LoginDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertSignedOutOrigin(req);
    const meta = requestMeta(req);
    const email = normalizeEmail(body.email);
    const form = isFormPost(req);
    const next = safeReturnPath(body.next, this.config.publicUrl);
    void reply.header('cache-control', 'no-store');

    // The domain signs in through its identity provider ("require SSO"): no password is checked.
    const refusal = await this.external.passwordRefusal(email, next);
    if (refusal) {
      await this.audit.record({ action: 'auth.login', outcome: 'denied', meta, details: { email, reason: 'sso_required' } });
      void reply.status(403);
      return form
        ? reply.view('login.hbs', { title: 'Sign in', next, email, error: refusal.message, external: [refusal.button] })
        : reply.send({
            statusCode: 403,
            error: 'sso_required',
            message: refusal.message,
            signInUrl: refusal.button.href,
            requestId: meta.requestId,
          });
    }

    let verdict: ThrottleVerdict;
    let outcome: FailureOutcome | undefined;
    try {
      verdict = await this.throttle.check(meta.ip, email);
      // Counted before the password is verified, so a concurrent burst cannot all pass the check.
      if (verdict.retryAfter === 0) verdict = outcome = await this.throttle.claim(meta.ip, email, verdict);
    } catch (err) {
      return this.throttleUnavailable(err, form, { next, email }, meta.requestId, reply);
    }
    const wait = verdict.retryAfter;
    if (wait > 0) {
      await this.audit.record({
        action: 'auth.login',
        outcome: 'denied',
        meta,
        details: { email, reason: verdict.reason ?? 'rate_limited' },
      });
      if (outcome) await this.recordLockoutStart(outcome, undefined, meta, email);
      rateLimitRejections.inc({ limiter: 'sign_in' });
      void reply.header('retry-after', String(wait)).status(429);
      const message = `Too many failed sign-ins. Try again in ${wait} seconds.`;
      return form
        ? reply.view('login.hbs', { title: 'Sign in', next, email, error: message })
        : reply.send({ statusCode: 429, error: 'too_many_requests', message, requestId: meta.requestId });
    }

    const user = await this.users.findByEmail(email);
    const ok = user ? await this.hasher.verify(body.password, user.passwordHash) : await this.hasher.verifyAgainstDummy(body.password);
    // Bots never sign in, even if someone gave one a password.
    if (!user || !ok || user.status !== 'active' || user.kind !== 'person') {
      await this.audit.record({
        action: 'auth.login',
        outcome: 'failed',
        actor: user ? { type: 'user', id: user.id } : undefined,
        meta,
        details: { email },
      });
      if (outcome) await this.recordLockoutStart(outcome, user?.id, meta, email);
      credentialsRefused.inc({ scheme: 'password', reason: 'invalid_credentials' });
      void reply.status(401);
      return form
        ? reply.view('login.hbs', {
            title: 'Sign in',
            next,
            email,
            error: INVALID_CREDENTIALS,
            purpose: await this.hints.describe(next),
            external: await this.external.buttons(next),
          })
        : reply.send({ statusCode: 401, error: 'invalid_credentials', message: INVALID_CREDENTIALS, requestId: meta.requestId });
    }

    try {
      await this.throttle.recordSuccess(meta.ip, email);
    } catch (err) {
      return this.throttleUnavailable(err, form, { next, email }, meta.requestId, reply);
    }
    // A sign-in over an existing session replaces it rather than reusing its id.
    const previous = await this.cookies.open(req);
    const old = previous ? await this.sessions.authenticate(previous) : null;
    if (old) await this.sessions.revokeOwn(old.userId, old.id);

    // A further step (a second factor, an enrolment the policy requires) makes the session partial.
    const pending = await this.steps.requiredAfterPassword(user);
    const { session, secret } = await this.sessions.start(user, meta, { amr: ['pwd'] }, pending ?? undefined);
    await this.cookies.set(reply, secret);
    await this.audit.record({
      action: 'auth.login',
      outcome: 'success',
      actor: { type: 'user', id: user.id },
      credential: { kind: 'session', id: session.id },
      meta,
      ...(pending ? { details: { pendingStep: pending.step } } : {}),
    });
    const stepUrl = pending ? `${this.steps.pathOf(pending.step)}?next=${encodeURIComponent(next)}` : undefined;
    // A temporary password (set by an admin, generated by the CLI) is replaced before anything else.
    if (form) return reply.redirect(stepUrl ?? (user.passwordTemporary ? '/account/password?required' : next), 303);
    return reply.send({
      user: { id: user.id, email: user.email, displayName: user.displayName },
      sessionId: session.id,
      passwordChangeRequired: user.passwordTemporary,
      ...(pending ? { pendingStep: pending.step, stepUrl } : {}),
    });
  }

  /** Lockouts and delays are audited once, when they begin (ASVS V6.3): the owner and admins see them. */
  private async recordLockoutStart(
    outcome: FailureOutcome,
    userId: string | undefined,
    meta: ReturnType<typeof requestMeta>,
    email: string,
  ): Promise<void> {
    if (!outcome.accountLocked && !outcome.delayStarted) return;
    await this.audit.record({
      action: outcome.accountLocked ? 'auth.account_locked' : 'auth.login_delayed',
      outcome: 'denied',
      target: userId ? { type: 'user', id: userId } : undefined,
      meta,
      details: { email },
    });
  }

  /**
   * The shared failure counters (Redis) are down: sign-in fails CLOSED, 503 + Retry-After,
   * because guessing unthrottled is worse than a short sign-in outage. Other errors propagate.
   */
  private throttleUnavailable(err: unknown, form: boolean, page: { next: string; email: string }, requestId: string, reply: FastifyReply) {
    if (!(err instanceof CounterStoreUnavailableError)) throw err;
    this.logger.error(`Sign-in refused: ${err.message}`);
    const message = 'Sign-in is temporarily unavailable. Try again shortly.';
    void reply.header('retry-after', String(SIGN_IN_RETRY_AFTER_SECONDS)).status(503);
    return form
      ? reply.view('login.hbs', { title: 'Sign in', ...page, error: message })
      : reply.send({ statusCode: 503, error: 'service_unavailable', message, requestId });
  }

  @Authenticated({ schemes: ['cookie'] })
  @Post('auth/logout')
  @ApiNoContentResponse({ description: 'Signed out; the session is revoked and the cookie cleared' })
  async logout(@CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.sessions.revokeOwn(principal.actor.id, principal.credential.id);
    this.cookies.clear(reply);
    await this.audit.recordFor(principal, {
      action: 'auth.logout',
      outcome: 'success',
      target: { type: 'session', id: principal.credential.id },
      meta: requestMeta(req),
    });
    if (!isFormPost(req)) return reply.status(204).send();
    await this.flash.set(reply, { message: 'You have signed out.' });
    return reply.redirect('/login', 303);
  }
}
