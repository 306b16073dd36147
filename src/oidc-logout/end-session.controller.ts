import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { formPostAsGet } from '../common/form-post-as-get';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiSeeOtherResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionPrincipalReader } from '../sessions/session-principal.reader';
import { SessionsService } from '../sessions/sessions.service';
import { END_SESSION_PATH } from '../oidc/end-session-path';
import { EndSessionService, type LogoutRequest, LogoutRequestError } from './end-session.service';

/**
 * The end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0 §2): an app sends the
 * browser here to end the user's Gatehouse session. With an `id_token_hint` naming the signed-in
 * user and session, the session ends at once; otherwise (no hint, another user's or another
 * session's) Gatehouse asks first (§2: the OP SHOULD ask the user). Afterwards the browser goes to
 * the registered `post_logout_redirect_uri` with `state`, or to Gatehouse's signed-out page. A bad
 * request is an error page: never a redirect (§3).
 */
@ApiTags('oauth')
@Controller('oauth/logout')
export class EndSessionController {
  constructor(
    private readonly requests: EndSessionService,
    private readonly reader: SessionPrincipalReader,
    private readonly sessions: SessionsService,
    private readonly cookies: SessionCookieService,
    private readonly csrf: CsrfService,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'End-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2)',
    description:
      'Opened in the user’s browser. A valid `id_token_hint` for the signed-in session: the session ends and the ' +
      'browser goes to `post_logout_redirect_uri` (registered, exact match) with `state`. Without a hint, or with ' +
      'one for another session: a confirmation page. No session: straight to the redirect URI (or the signed-out page).',
  })
  @ApiProduces('text/html')
  @ApiQuery({ name: 'id_token_hint', required: false, description: 'An id_token Gatehouse issued to the client (expired is fine)' })
  @ApiQuery({ name: 'client_id', required: false })
  @ApiQuery({ name: 'post_logout_redirect_uri', required: false, description: 'One of the client’s post_logout_redirect_uris' })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'ui_locales', required: false, description: 'Accepted and ignored' })
  @ApiOkResponse({ description: 'The confirmation or signed-out page (text/html)' })
  @ApiSeeOtherResponse({ description: 'Signed out: to post_logout_redirect_uri with state' })
  @ApiBadRequestResponse({ description: 'A bad hint, client or redirect URI: an error page, no redirect' })
  async get(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    let request: LogoutRequest;
    try {
      request = await this.requests.validate((req.query ?? {}) as Record<string, unknown>);
    } catch (err) {
      return this.refuse(err, reply);
    }
    const p = await this.reader.readIncludingPartial(req);
    // No session (already signed out, or it ended elsewhere): nothing to end or to confirm.
    if (!p) return this.signedOut(request, reply, false);
    // A sign-in still at its second step (no id_token was issued in it, and the confirmation form
    // refuses it): the page says "signed out", so it is ended, as POST /auth/logout would.
    if (p.pendingStep !== undefined) {
      await this.endSession(p, request, req, reply);
      return this.signedOut(request, reply, false);
    }
    const hintMatches =
      request.hint !== null && request.hint.sub === p.actor.id && (request.hint.sid ?? p.credential.id) === p.credential.id;
    if (hintMatches) {
      await this.endSession(p, request, req, reply);
      return this.signedOut(request, reply, false);
    }
    return reply.view('logout-confirm.hbs', {
      title: 'Sign out of Gatehouse?',
      user: p.user,
      csrf: this.csrf.tokenFor(p.credential.id),
      clientName: request.clientName,
      clientId: request.clientId ?? '',
      redirectUri: request.redirectUri ?? '',
      state: request.state ?? '',
    });
  }

  /** §2: the request may also be a form POST; it is answered as the same GET (303), so a cross-site POST without cookies changes nothing. */
  @Public()
  @Post()
  @ApiOperation({ summary: 'End-session endpoint, form POST (RP-Initiated Logout 1.0 §2): answered with a 303 to the GET' })
  @ApiSeeOtherResponse({ description: 'To GET /oauth/logout with the same parameters' })
  @ApiBadRequestResponse({ description: 'Parameters given twice or not as text: an error page' })
  post(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const answer = formPostAsGet(END_SESSION_PATH, req.body);
    if ('problem' in answer) return this.refuse(new LogoutRequestError(answer.problem), reply);
    return reply.header('cache-control', 'no-store').redirect(answer.location, 303);
  }

  /** The confirmation page's "Sign out" (CSRF-checked): the parameters are checked again, then the session ends. */
  @Authenticated({ schemes: ['cookie'], page: true })
  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirms an RP-initiated logout (the confirmation page’s form)' })
  async confirm(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return this.refuse(new LogoutRequestError('the body must be a form (application/x-www-form-urlencoded)'), reply);
    }
    const { _csrf: _token, ...params } = body as Record<string, unknown>;
    let request: LogoutRequest;
    try {
      request = await this.requests.validate(params);
    } catch (err) {
      return this.refuse(err, reply);
    }
    await this.endSession(p, request, req, reply);
    return this.signedOut(request, reply, true);
  }

  private async endSession(p: Principal, request: LogoutRequest, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.sessions.revokeOwn(p.actor.id, p.credential.id);
    this.cookies.clear(reply);
    // The page that follows is a signed-out one: no name, navigation or sign-out form in its layout.
    req.user = undefined;
    if (reply.locals) reply.locals = { flash: (reply.locals as { flash?: unknown }).flash };
    await this.audit.recordFor(p, {
      action: 'auth.logout',
      outcome: 'success',
      target: { type: 'session', id: p.credential.id },
      meta: requestMeta(req),
      details: { initiatedBy: request.clientId ?? 'unknown client' },
    });
  }

  /** Back to the app (a page that moves on by itself: a redirect after our own form would meet its CSP form-action), or our own page. */
  private signedOut(request: LogoutRequest, reply: FastifyReply, afterOwnForm: boolean) {
    const location = EndSessionService.returnUrl(request);
    if (location && !afterOwnForm) return reply.redirect(location, 303);
    return reply.view('logout-done.hbs', { title: 'Signed out', location, clientName: request.clientName });
  }

  private refuse(err: unknown, reply: FastifyReply) {
    if (!(err instanceof LogoutRequestError)) throw err;
    return reply
      .status(400)
      .header('cache-control', 'no-store')
      .view('logout-error.hbs', { title: 'Sign-out request refused', description: err.message });
  }
}
