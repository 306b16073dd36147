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
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IntrospectionRequestBody, OAuthErrorBody } from '../oauth/dto/oauth-openapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { IntrospectionResponse } from './dto/introspection.response';
import { InvalidClientError } from '../auth/errors/oauth.errors';
import { clientCredentialsOf } from '../oauth/oauth-client-credentials';
import { OAuthParams } from '../oauth/oauth-params';
import { TokenEndpointThrottleGuard } from '../oauth/token-endpoint-throttle.guard';
import { TokenIntrospector } from './token-introspector.service';

/** RFC 7662 token introspection, for confidential clients (resource servers). */
@ApiTags('oauth')
@Controller('oauth')
export class IntrospectionController {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly introspector: TokenIntrospector,
  ) {}

  @Public()
  @UseGuards(TokenEndpointThrottleGuard)
  @RouteConfig({ [OAUTH_ERROR_BODIES]: true })
  @Post('introspect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection (RFC 7662)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: IntrospectionRequestBody, description: 'Form (RFC 7662 §2.1) or the same fields as JSON' })
  @ApiOkResponse({ type: IntrospectionResponse, description: 'RFC 7662 §2.2; an unknown, expired or foreign token is { active: false }' })
  @ApiBadRequestResponse({ type: OAuthErrorBody, description: 'invalid_request' })
  @ApiUnauthorizedResponse({ type: OAuthErrorBody, description: 'invalid_client' })
  async introspect(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IntrospectionResponse> {
    const params = OAuthParams.fromRequest(req);
    const { client, method } = await this.authenticator.authenticate(clientCredentialsOf(req, params));
    // RFC 7662 §2.1: the endpoint is protected; a public client proves nothing about itself.
    if (method === 'none') throw new InvalidClientError('Introspection requires client authentication');
    const token = params.require('token');
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.introspector.introspect(client, token);
  }
}
