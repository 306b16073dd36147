import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CsrfService, isFormPost } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { safeReturnPath } from '../sign-in/return-path';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { normalizeEmail } from '../users/users.service';
import { SsoDiscoverDto } from './dto/sso-discover.dto';
import { SsoConnectionsService } from '../sso-connections/sso-connections.service';
import { SsoSignInError } from '../sso-connections/sso-sign-in.error';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoStateCookie } from './sso-state.cookie';

/** The same answer whatever the email: only its domain is looked at, never whether an account exists. */
const NO_SSO_FOR_DOMAIN = 'No single sign-on is set up for this address. Sign in with your email and password.';

/**
 * The browser side of single sign-on: start (redirect to the IdP), callback (back from it),
 * and home-realm discovery (an email's domain picks the connection). Public routes: the
 * caller is not signed in yet. Every refusal is a page with a 4xx (or 502/504 when the IdP
 * itself failed), an audit event, and no session.
 */
@ApiTags('sso')
@Controller('auth/sso')
export class SsoController {
  private readonly logger = new Logger('SSO');

  constructor(
    private readonly signIn: SsoSignInService,
    private readonly connections: SsoConnectionsService,
    private readonly state: SsoStateCookie,
    private readonly sessions: SessionsService,
    private readonly cookies: SessionCookieService,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Home-realm discovery: a form post (303 to the IdP or back to sign-in) or JSON (`{ signInUrl }`, null when none). */
  @Public()
  @Post('discover')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ signInUrl }`: where this email signs in, or null. The same for every address of a domain.' })
  async discover(@Body() body: SsoDiscoverDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.csrf.assertSignedOutOrigin(req);
    void reply.header('cache-control', 'no-store');
    const next = safeReturnPath(body.next, this.config.publicUrl);
    const email = normalizeEmail(body.email);
    const c = await this.connections.routeFor(email);
    const signInUrl = c ? startPath(c.slug, next, email) : null;
    if (!isFormPost(req)) return reply.send({ signInUrl });
    // Not a 303: CSP form-action 'self' stops a form's redirect chain at the IdP's origin.
    if (c && signInUrl) return continueTo(reply, signInUrl, c.name);
    await this.flash.set(reply, { message: NO_SSO_FOR_DOMAIN });
    return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
  }

  /** Starts a sign-in: seals state, nonce and PKCE verifier into a cookie and redirects to the IdP (303). */
  @Public()
  @ApiExcludeEndpoint()
  @Get(':slug/start')
  async start(
    @Param('slug') slug: string,
    @Query('next') next: unknown,
    @Query('login_hint') loginHint: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    try {
      const c = await this.signIn.enabledConnection(slug);
      const hint = typeof loginHint === 'string' && loginHint.length <= 254 ? loginHint : undefined;
      const { url, pending } = await this.signIn.start(c, { next: safeReturnPath(next, this.config.publicUrl), loginHint: hint });
      await this.state.set(reply, pending);
      return reply.header('cache-control', 'no-store').redirect(url, 303);
    } catch (err) {
      return this.refused(slug, err, req, reply);
    }
  }

  /** The redirect URI registered at the IdP (Core §3.1.2.5): checks everything, then starts a session (303 to `next`). */
  @Public()
  @ApiExcludeEndpoint()
  @Get(':slug/callback')
  async callback(
    @Param('slug') slug: string,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const pending = await this.state.open(req);
    // Single use: whatever happens next, this browser's pending sign-in is spent.
    this.state.clear(reply);
    void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const meta = requestMeta(req);
    try {
      const c = await this.signIn.enabledConnection(slug);
      // A sign-in over an existing session replaces it (a fresh id: no fixation).
      const previous = await this.cookies.open(req);
      const result = await this.signIn.finish(c, pending, query ?? {}, meta);
      const old = previous ? await this.sessions.authenticate(previous) : null;
      if (old && old.id !== result.session.id) await this.sessions.revokeOwn(old.userId, old.id);
      await this.cookies.set(reply, result.secret);
      if (result.outcome === 'linked_by_user') await this.flash.set(reply, { message: `${c.name} is linked to your account.` });
      if (result.stepPath) return reply.redirect(`${result.stepPath}?next=${encodeURIComponent(pending!.next)}`, 303);
      return reply.redirect(pending!.next, 303);
    } catch (err) {
      return this.refused(slug, err, req, reply);
    }
  }

  private async refused(slug: string, err: unknown, req: FastifyRequest, reply: FastifyReply) {
    if (!(err instanceof SsoSignInError)) {
      this.logger.error({ err }, 'SSO sign-in failed unexpectedly');
      err = new SsoSignInError('idp_bad_response', 502, 'Single sign-on failed. Try again later.', 'unexpected');
    }
    const e = err as SsoSignInError;
    const meta = requestMeta(req);
    await this.signIn.recordRefusal(slug, e, meta);
    return reply.status(e.status).header('cache-control', 'no-store').view('sso-error.hbs', {
      title: 'Single sign-on',
      heading: 'Single sign-on did not work',
      message: e.message,
      requestId: meta.requestId,
    });
  }
}

/**
 * The page a form post answers with when the next stop is the IdP: it moves on by itself (meta
 * refresh), with a link as well. CSP `form-action 'self'` covers a form's whole redirect chain,
 * so a 303 from a form post to another origin is blocked by the browser.
 */
export function continueTo(reply: FastifyReply, url: string, name: string) {
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .view('sso-continue.hbs', { title: 'Single sign-on', url, name });
}

/** The start URL of a connection, with the checked return path and the email as `login_hint`. */
export function startPath(slug: string, next: string, loginHint?: string): string {
  const q = new URLSearchParams({ next });
  if (loginHint) q.set('login_hint', loginHint);
  return `/auth/sso/${slug}/start?${q.toString()}`;
}
