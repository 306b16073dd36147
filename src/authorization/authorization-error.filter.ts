import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfError, LoginRequiredRedirect, PageRedirect } from '../auth/errors/auth.errors';
import { errorDescription } from '../auth/errors/error-description';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthorizationPageError, AuthorizationRedirectError } from './errors/authorization.errors';
import { authorizationResponseUrl } from './authorization-response';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { CodeFlowExtensionRegistry } from '../grants/code-flow-extension.registry';

/**
 * Renders authorization endpoint errors (RFC 6749 §4.1.2.1): an untrusted client or redirect
 * URI gets an error page on Gatehouse; everything else goes back to the client with `error`,
 * `error_description`, `state` and `iss` (RFC 9207).
 */
@Catch(AuthorizationPageError, AuthorizationRedirectError, CsrfError, LoginRequiredRedirect)
export class AuthorizationErrorFilter implements ExceptionFilter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: AuthorizationRequestValidator,
    private readonly extensions: CodeFlowExtensionRegistry,
  ) {}

  async catch(
    err: AuthorizationPageError | AuthorizationRedirectError | CsrfError | LoginRequiredRedirect,
    host: ArgumentsHost,
  ): Promise<void> {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.header('cache-control', 'no-store');
    if (err instanceof LoginRequiredRedirect) {
      // No session at /oauth/authorize: an extension may answer instead of the sign-in page
      // (OpenID Connect `prompt=none` → login_required), once the request itself is valid.
      // An invalid request still goes to sign-in first, as before; it is judged after.
      let instead: Error | undefined;
      const request = await this.requests.validate((req.query ?? {}) as Record<string, unknown>).catch(() => undefined);
      if (request) for (const [, extension] of this.extensions.entries()) instead ??= extension.whenSignedOut(request, req.url);
      if (instead instanceof AuthorizationRedirectError) return this.catch(instead, host);
      void reply.redirect((instead instanceof PageRedirect ? instead : err).location, 303);
      return;
    }
    if (err instanceof CsrfError) {
      // A consent post the CSRF check refused is still the authorization flow: a page, not API JSON.
      void reply.status(403).view('oauth-error.hbs', { title: 'Authorization failed', error: 'access_denied', description: err.message });
      return;
    }
    if (err instanceof AuthorizationPageError) {
      void reply.status(400).view('oauth-error.hbs', { title: 'Authorization failed', error: err.error, description: err.message });
      return;
    }
    const location = authorizationResponseUrl(err.redirectUri, this.config.issuer, {
      error: err.error,
      error_description: errorDescription(err.message),
      state: err.state,
    });
    // A redirect that follows a POST (the consent form) is a 303 (RFC 9700 §4.11).
    void reply.redirect(location, req.method === 'POST' ? 303 : 302);
  }
}
