import { RouteConfig } from '@nestjs/platform-fastify';
import { OAUTH_ERROR_BODIES } from '../common/api-error';
import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OAuthErrorBody, TokenRequestBody, TokenResponseBody } from '../oauth/dto/oauth-openapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import type { GrantType } from '../clients/client-types';
import { tokensIssued } from '../metrics/metrics';
import { requestMeta } from '../common/request-meta';
import { UnauthorizedClientError, UnsupportedGrantTypeError } from '../auth/errors/oauth.errors';
import type { TokenResponse } from './grant-handler';
import { GrantHandlerRegistry } from './grant-handler.registry';
import { clientCredentialsOf } from '../oauth/oauth-client-credentials';
import { OAuthParams } from '../oauth/oauth-params';
import { ResourceIndicatorsService } from './resource-indicators.service';
import { TokenEndpointThrottleGuard } from '../oauth/token-endpoint-throttle.guard';

/**
 * The token endpoint (RFC 6749 §3.2). @Public() at the guard level: it authenticates clients
 * itself (§2.3), then hands the request to the handler registered for its grant_type.
 */
@ApiTags('oauth')
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly grants: GrantHandlerRegistry,
    private readonly resources: ResourceIndicatorsService,
  ) {}

  @Public()
  @UseGuards(TokenEndpointThrottleGuard)
  @RouteConfig({ [OAUTH_ERROR_BODIES]: true })
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'OAuth 2.0 token endpoint (RFC 6749 §3.2)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestBody, description: 'Form (RFC 6749 §3.2) or the same fields as JSON' })
  @ApiOkResponse({ type: TokenResponseBody, description: 'RFC 6749 §5.1 token response' })
  @ApiBadRequestResponse({ type: OAuthErrorBody, description: 'RFC 6749 §5.2 error' })
  @ApiUnauthorizedResponse({ type: OAuthErrorBody, description: 'invalid_client (RFC 6749 §5.2), with WWW-Authenticate: Basic' })
  @ApiTooManyRequestsResponse({ type: OAuthErrorBody, description: 'Rate limited per client and per IP; Retry-After says when' })
  async token(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const params = OAuthParams.fromRequest(req);
    const grantType = params.require('grant_type');
    const { client, method } = await this.authenticator.authenticate(clientCredentialsOf(req, params));
    const handler = this.grants.find(grantType);
    if (!handler) throw new UnsupportedGrantTypeError(`Unsupported grant_type: ${grantType}`);
    if (!client.grantTypes.includes(grantType as GrantType)) {
      throw new UnauthorizedClientError(`This client is not allowed the grant type ${grantType}`);
    }
    const audience = await this.resources.audienceFor(params);
    const response = await handler.handle(client, params, { ...requestMeta(req), authMethod: method, audience });
    tokensIssued.inc({ grant_type: handler.grantType });
    // RFC 6749 §5.1: token responses must not be cached.
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return response;
  }
}
