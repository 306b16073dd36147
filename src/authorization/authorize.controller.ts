import { PAGE_CSP } from '../common/security-headers';
import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiSeeOtherResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Public } from '../auth/decorators/public.decorator';
import { formPostAsGet } from '../common/form-post-as-get';
import { CsrfService } from '../sessions/csrf.service';
import { AuthorizationPageError } from './errors/authorization.errors';
import { AuthorizationErrorFilter } from './authorization-error.filter';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { formActionSources } from './authorization-response';
import { AuthorizationsService } from './authorizations.service';
import { CodeFlowExtensionRegistry } from '../grants/code-flow-extension.registry';

/**
 * `GET /oauth/authorize` (RFC 6749 §4.1.1). A signed-in browser user only: anyone else goes
 * to the sign-in page and comes back to this very URL.
 */
@ApiTags('oauth')
@UseFilters(AuthorizationErrorFilter)
@Controller('oauth')
export class AuthorizeController {
  constructor(
    private readonly requests: AuthorizationRequestValidator,
    private readonly authorizations: AuthorizationsService,
    private readonly csrf: CsrfService,
    private readonly extensions: CodeFlowExtensionRegistry,
  ) {}

  @Authenticated({ schemes: ['cookie'], page: true })
  @Get('authorize')
  @ApiOperation({
    summary: 'Authorization endpoint (RFC 6749 §4.1.1, PKCE S256 per RFC 7636)',
    description:
      'Opened in the user’s browser. Not signed in: 303 to /login and back. Already approved: 302 to the ' +
      'redirect URI with `code`, `state` and `iss` (RFC 9207). Otherwise the consent page. A bad client_id or ' +
      'redirect_uri is an error page (400) and never redirects (RFC 6749 §4.1.2.1); other errors go back to the client.',
  })
  @ApiProduces('text/html')
  @ApiQuery({ name: 'response_type', enum: ['code'] })
  @ApiQuery({ name: 'client_id' })
  @ApiQuery({ name: 'redirect_uri', required: false, description: 'Required when the client has more than one' })
  @ApiQuery({ name: 'scope', required: false, description: 'Space-separated; defaults to the client’s scopes' })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'code_challenge', description: 'BASE64URL(SHA-256(code_verifier))' })
  @ApiQuery({ name: 'code_challenge_method', enum: ['S256'] })
  @ApiOkResponse({ description: 'The consent page (text/html)' })
  @ApiFoundResponse({ description: 'Back to the redirect URI with code, state and iss; or with error (RFC 6749 §4.1.2.1)' })
  @ApiSeeOtherResponse({ description: 'Not signed in: to /login?next=… and back here' })
  @ApiBadRequestResponse({ description: 'Unknown client or redirect URI: an error page, no redirect' })
  async authorize(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const request = await this.requests.validate(query);
    const scopes = this.authorizations.grantableScopes(request, p);
    void reply.header('cache-control', 'no-store');
    const approved = await this.authorizations.alreadyApproved(request, p, scopes);
    let showConsent = !approved;
    for (const [, extension] of this.extensions.entries()) {
      if ((await extension.beforeConsent(request, p, approved, req.url)).showConsent) showConsent = true;
    }
    if (!showConsent) {
      const location = await this.authorizations.codeRedirect(request, p, scopes);
      // Arriving from our own sign-in form (same-origin navigation), a redirect to the client
      // would end that form's redirect chain off-site, which the sign-in page's CSP form-action
      // blocks. A page that moves on by itself is a fresh navigation, which form-action allows.
      if (req.headers['sec-fetch-site'] === 'same-origin') {
        return reply.view('authorize-continue.hbs', { title: `Back to ${request.client.name}`, clientName: request.client.name, location });
      }
      return reply.redirect(location, 302);
    }

    const csp = PAGE_CSP;
    const dropped = request.scopes.filter((s) => !scopes.includes(s));
    return reply
      .header('content-security-policy', csp.replace(/form-action [^;]*/, `form-action ${formActionSources(request.redirectUri)}`))
      .view('consent.hbs', {
        title: `Authorize ${request.client.name}`,
        user: p.user,
        csrf: this.csrf.tokenFor(p.credential.id),
        clientName: request.client.name,
        redirectHost: new URL(request.redirectUri).host,
        scopes: this.authorizations.describe(scopes),
        dropped: this.authorizations.describe(dropped),
        // Carried back verbatim; the decision endpoint validates them all again.
        fields: this.requests
          .carriedParamNames()
          .filter((n) => typeof query[n] === 'string')
          .map((n) => ({ name: n, value: query[n] })),
      });
  }

  /**
   * `POST /oauth/authorize` (OpenID Connect Core §3.1.2.1: the endpoint MUST support POST too), a
   * form with the same parameters as the GET. Answered with a `303` to the GET, which does all the
   * work (sign-in, consent, errors); a body that is not a form of single values is the error page
   * (400), never a redirect.
   */
  @Public()
  @Post('authorize')
  @ApiOperation({ summary: 'Authorization endpoint, form POST (OpenID Connect Core §3.1.2.1): answered with a 303 to the GET' })
  @ApiSeeOtherResponse({ description: 'To GET /oauth/authorize with the same parameters' })
  @ApiBadRequestResponse({ description: 'Parameters given twice or not as text: an error page, no redirect' })
  postAuthorize(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const answer = formPostAsGet('/oauth/authorize', req.body);
    if ('problem' in answer) throw new AuthorizationPageError('invalid_request', answer.problem);
    return reply.header('cache-control', 'no-store').redirect(answer.location, 303);
  }
}
