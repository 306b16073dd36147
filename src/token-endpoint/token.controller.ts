import { Controller, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedClientError, UnsupportedGrantTypeError } from '../auth/errors/oauth.errors';
import type { GrantType } from '../clients/client-types';
import { requestMeta } from '../common/request-meta';
import { tokensIssued } from '../metrics/metrics';
import { ClientAuthenticatedEndpoint, noStore, OAuthClientAuthentication } from '../oauth/client-authenticated-endpoint';
import { OAuthErrorBody, TokenRequestBody, TokenResponseBody } from '../oauth/dto/oauth-openapi';
import { OAuthParams } from '../oauth/oauth-params';
import type { TokenResponse } from './grant-handler';
import { GrantHandlerRegistry } from './grant-handler.registry';
import { ResourceIndicatorsService } from './resource-indicators.service';

/**
 * The token endpoint (RFC 6749 §3.2). @Public() at the guard level: it authenticates clients
 * itself (§2.3), then hands the request to the handler registered for its grant_type.
 */
@ApiTags('oauth')
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly clientAuthentication: OAuthClientAuthentication,
    private readonly grants: GrantHandlerRegistry,
    private readonly resources: ResourceIndicatorsService,
  ) {}

  @ClientAuthenticatedEndpoint('token', {
    summary: 'OAuth 2.0 token endpoint (RFC 6749 §3.2)',
    body: { type: TokenRequestBody, description: 'Form (RFC 6749 §3.2) or the same fields as JSON' },
    ok: { type: TokenResponseBody, description: 'RFC 6749 §5.1 token response' },
    badRequest: { type: OAuthErrorBody, description: 'RFC 6749 §5.2 error' },
    unauthorized: { type: OAuthErrorBody, description: 'invalid_client (RFC 6749 §5.2), with WWW-Authenticate: Basic' },
    tooManyRequests: { type: OAuthErrorBody, description: 'Rate limited per client and per IP; Retry-After says when' },
  })
  async token(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const params = OAuthParams.fromRequest(req);
    const grantType = params.require('grant_type');
    const { client, method } = await this.clientAuthentication.authenticate(req, params);
    const handler = this.grants.find(grantType);
    if (!handler) throw new UnsupportedGrantTypeError(`Unsupported grant_type: ${grantType}`);
    if (!client.grantTypes.includes(grantType as GrantType)) {
      throw new UnauthorizedClientError(`This client is not allowed the grant type ${grantType}`);
    }
    const audience = await this.resources.audienceFor(params);
    const response = await handler.handle(client, params, { ...requestMeta(req), authMethod: method, audience });
    tokensIssued.inc({ grant_type: handler.grantType });
    noStore(reply);
    return response;
  }
}
