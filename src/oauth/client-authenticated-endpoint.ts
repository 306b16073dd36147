import { applyDecorators, HttpCode, Injectable, Post, Type, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { InvalidClientError } from '../auth/errors/oauth.errors';
import { AuthenticatedClient, ClientAuthenticator } from '../clients/client-authenticator.service';
import { OAUTH_ERROR_BODIES } from '../common/api-error';
import { clientCredentialsOf } from './oauth-client-credentials';
import type { OAuthParams } from './oauth-params';
import { TokenEndpointThrottleGuard } from './token-endpoint-throttle.guard';

/** An OpenAPI response: its schema class (optional) and description. */
interface ResponseDoc {
  type?: Type<unknown>;
  description: string;
  schema?: Record<string, unknown>;
}

/** What one client-authenticated OAuth endpoint documents (OpenAPI). */
export interface ClientAuthenticatedEndpointDoc {
  summary: string;
  body?: { type: Type<unknown>; description: string };
  ok: ResponseDoc;
  badRequest: ResponseDoc;
  unauthorized: ResponseDoc;
  tooManyRequests?: ResponseDoc;
}

/**
 * `POST /oauth/<path>` for an endpoint that authenticates the client itself (token, revocation,
 * introspection, device authorization): @Public() at the guard level, the per-client and per-IP
 * limits (TokenEndpointThrottleGuard, 429), RFC 6749 §5.2 error bodies even for a body refused
 * before the handler (too large, malformed JSON), 200, form or JSON bodies, and the OpenAPI
 * description. Authenticate the client in the handler with OAuthClientAuthentication.
 */
export function ClientAuthenticatedEndpoint(path: string, doc: ClientAuthenticatedEndpointDoc): MethodDecorator {
  return applyDecorators(
    Public(),
    UseGuards(TokenEndpointThrottleGuard),
    RouteConfig({ [OAUTH_ERROR_BODIES]: true }),
    Post(path),
    HttpCode(200),
    ApiOperation({ summary: doc.summary }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ...(doc.body ? [ApiBody(doc.body)] : []),
    ApiOkResponse(doc.ok),
    ApiBadRequestResponse(doc.badRequest),
    ApiUnauthorizedResponse(doc.unauthorized),
    ...(doc.tooManyRequests ? [ApiTooManyRequestsResponse(doc.tooManyRequests)] : []),
  );
}

/** RFC 6749 §5.1 (and RFC 7009, 7662, 8628 alike): responses that carry or describe tokens are never cached. */
export function noStore(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/**
 * The one client-authentication step of the client-authenticated OAuth endpoints (RFC 6749
 * §2.3 and §3.2.1, RFC 7009 §2.1, RFC 7662 §2.1, RFC 8628 §3.1): the credentials from HTTP
 * Basic or the body (two Authorization headers are invalid_request), checked by the
 * ClientAuthenticator. Throws InvalidClientError (401 with WWW-Authenticate: Basic).
 */
@Injectable()
export class OAuthClientAuthentication {
  constructor(private readonly authenticator: ClientAuthenticator) {}

  /**
   * The client the request authenticates as, and how (`none`: a public client by client_id).
   * `requireSecret`: the endpoint is for confidential clients only; a public client is refused
   * with that message (RFC 7662 §2.1: introspection is protected).
   */
  async authenticate(req: FastifyRequest, params: OAuthParams, opts: { requireSecret?: string } = {}): Promise<AuthenticatedClient> {
    const authenticated = await this.authenticator.authenticate(clientCredentialsOf(req, params));
    if (opts.requireSecret && authenticated.method === 'none') throw new InvalidClientError(opts.requireSecret);
    return authenticated;
  }
}
