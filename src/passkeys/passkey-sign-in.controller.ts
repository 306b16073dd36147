import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuditService } from '../audit/audit.service';
import { SecondStepService } from '../mfa/second-step.service';
import { Public } from '../auth/decorators/public.decorator';
import { requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { safeReturnPath } from '../sign-in/return-path';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { PasskeyOptionsRequest, PasskeySignInForm } from './dto/passkey.forms';
import { counterRegressionEvent, PasskeyError, passkeyErrorBody, refusalOutcome, refusals } from './passkey.error';
import { PasskeysService } from './passkeys.service';

const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** @simplewebauthn/browser's own UMD bundle (global `SimpleWebAuthnBrowser`), served as it ships: no build step. */
const BROWSER_BUNDLE = readFileSync(join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js'));

/**
 * Passwordless, usernameless sign-in with a discoverable passkey. The page's script asks for
 * options (`POST /auth/passkey/options`: a challenge bound to this browser by a short-lived
 * cookie), runs `startAuthentication()`, and posts the response (`POST /auth/passkey`, a form
 * post or JSON). A refusal is the page again with a 4xx and the reason, and never a session.
 */
@ApiTags('sessions')
@Controller()
export class PasskeySignInController {
  readonly cookieName: string;

  constructor(
    private readonly passkeys: PasskeysService,
    private readonly sessions: SessionsService,
    private readonly cookies: SessionCookieService,
    private readonly csrf: CsrfService,
    private readonly audit: AuditService,
    private readonly secondStep: SecondStepService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cookieName = `${config.session.cookieName}_passkey`;
  }

  @Public()
  @ApiExcludeEndpoint()
  @Get('passkeys/simplewebauthn-browser.js')
  browserBundle(@Res() reply: FastifyReply) {
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(BROWSER_BUNDLE);
  }

  @Public()
  @ApiExcludeEndpoint()
  @Get('login/passkey')
  page(@Query('next') next: unknown, @Res() reply: FastifyReply) {
    return this.render(reply, 200, safeReturnPath(next, this.config.publicUrl));
  }

  @Public()
  @Post('auth/passkey/options')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'PublicKeyCredentialRequestOptionsJSON for a usernameless sign-in; sets the cookie that binds its challenge',
  })
  async options(@Body() _body: PasskeyOptionsRequest, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertSignedOutOrigin(req);
    const nonce = randomBytes(32).toString('base64url');
    const options = await this.passkeys.signInOptions(nonce);
    void reply.setCookie(this.cookieName, nonce, {
      ...this.cookies.cookieAttributes(),
      maxAge: Math.ceil(this.config.passkeys.challengeTimeoutMs / 1000),
    });
    return reply.header('cache-control', 'no-store').send(options);
  }

  @Public()
  @Post('auth/passkey')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Signed in; the session cookie is set (a form post gets a 303 to `next`)' })
  async signIn(@Body() form: PasskeySignInForm, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertSignedOutOrigin(req);
    const meta = requestMeta(req);
    const html = isFormPost(req);
    const next = safeReturnPath(form.next, this.config.publicUrl);
    const nonce = req.cookies?.[this.cookieName];
    // The browser's challenge is spent whatever happens now.
    void reply.header('cache-control', 'no-store').clearCookie(this.cookieName, this.cookies.cookieAttributes());
    // After the password, with a partial session: the passkey is the second factor (docs/mfa.md).
    const pending = await this.secondStep.pending(req);
    if (pending) await this.secondStep.beginAttempt(req, reply, pending);
    try {
      if (!nonce || !NONCE.test(nonce)) throw refusals.challengeMissing();
      const a = await this.passkeys.verifySignIn({ browser: nonce }, form.response);
      if (pending) {
        if (a.user.id !== pending.user.id) {
          throw new PasskeyError('wrong_user', 400, 'This passkey belongs to another account.', undefined, {
            id: a.passkey.id,
            userId: a.user.id,
          });
        }
        return await this.secondStep.complete(req, reply, pending, { factorId: 'passkey', amr: a.amr[0] });
      }
      // A sign-in over an existing session replaces it (a fresh id: no fixation).
      const previous = await this.cookies.open(req);
      const old = previous ? await this.sessions.authenticate(previous) : null;
      if (old) await this.sessions.revokeOwn(old.userId, old.id);
      const { session, secret } = await this.sessions.start(a.user, meta, { amr: a.amr });
      await this.cookies.set(reply, secret);
      await this.audit.record({
        action: 'auth.passkey_login',
        outcome: 'success',
        actor: { type: 'user', id: a.user.id },
        credential: { kind: 'session', id: session.id },
        target: { type: 'passkey', id: a.passkey.id },
        meta,
        details: { name: a.passkey.name, amr: a.amr, userVerified: a.userVerified },
      });
      if (html) return reply.redirect(a.user.passwordTemporary ? '/account/password?required' : next, 303);
      return reply.send({
        user: { id: a.user.id, email: a.user.email, displayName: a.user.displayName },
        sessionId: session.id,
        amr: a.amr,
      });
    } catch (err) {
      if (!(err instanceof PasskeyError)) throw err;
      if (pending) await this.secondStep.fail(req, pending, 'passkey', err.reason);
      const regression = counterRegressionEvent(err, meta);
      if (regression) await this.audit.record(regression);
      await this.audit.record({
        action: 'auth.passkey_login',
        outcome: refusalOutcome(err),
        ...(err.passkey ? { actor: { type: 'user' as const, id: err.passkey.userId } } : {}),
        meta,
        details: { reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) },
      });
      void reply.status(err.status);
      if (!html) return reply.send(passkeyErrorBody(err, meta.requestId));
      return this.render(reply, err.status, next, err.message);
    }
  }

  private render(reply: FastifyReply, status: number, next: string, error?: string) {
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('login-passkey.hbs', {
        title: 'Sign in with a passkey',
        next,
        error,
        passwordHref: `/login?next=${encodeURIComponent(next)}`,
      });
  }
}
