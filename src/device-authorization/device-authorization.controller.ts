import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { OAUTH_ERROR_BODIES } from '../common/api-error';
import { requestMeta } from '../common/request-meta';
import { clientCredentialsOf } from '../oauth/oauth-client-credentials';
import { OAuthParams } from '../oauth/oauth-params';
import { TokenEndpointThrottleGuard } from '../oauth/token-endpoint-throttle.guard';
import { DeviceAuthorizationRequestsService } from './device-authorization-requests.service';
import { DeviceAuthorizationResponse } from './dto/device-authorization.response';

/**
 * The device authorization endpoint (RFC 8628 §3.1). @Public() at the guard level: like the
 * token endpoint it authenticates the client itself (confidential clients with their secret,
 * public clients by client_id), with the same per-client and per-IP limits.
 */
@ApiTags('oauth')
@Controller('oauth')
export class DeviceAuthorizationController {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly requests: DeviceAuthorizationRequestsService,
  ) {}

  @Public()
  @UseGuards(TokenEndpointThrottleGuard)
  // A body refused before the handler (too large, malformed JSON) is invalid_request too (RFC 6749 §5.2).
  @RouteConfig({ [OAUTH_ERROR_BODIES]: true })
  @Post('device_authorization')
  @HttpCode(200)
  @ApiOperation({ summary: 'Device authorization endpoint (RFC 8628 §3.1)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOkResponse({ type: DeviceAuthorizationResponse, description: 'RFC 8628 §3.2 device authorization response' })
  @ApiBadRequestResponse({ description: 'RFC 6749 §5.2 error: invalid_request, invalid_scope, unauthorized_client' })
  @ApiUnauthorizedResponse({ description: 'invalid_client' })
  @ApiTooManyRequestsResponse({ description: 'Rate limited per client and per IP' })
  async authorize(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<DeviceAuthorizationResponse> {
    const params = OAuthParams.fromRequest(req);
    const { client } = await this.authenticator.authenticate(clientCredentialsOf(req, params));
    const response = await this.requests.start(client, params.scopes(), requestMeta(req));
    // The response carries a secret (the device code): never cached.
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return response;
  }
}
