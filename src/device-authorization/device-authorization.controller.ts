import { Controller, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestMeta } from '../common/request-meta';
import { ClientAuthenticatedEndpoint, noStore, OAuthClientAuthentication } from '../oauth/client-authenticated-endpoint';
import { OAuthParams } from '../oauth/oauth-params';
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
    private readonly clientAuthentication: OAuthClientAuthentication,
    private readonly requests: DeviceAuthorizationRequestsService,
  ) {}

  @ClientAuthenticatedEndpoint('device_authorization', {
    summary: 'Device authorization endpoint (RFC 8628 §3.1)',
    ok: { type: DeviceAuthorizationResponse, description: 'RFC 8628 §3.2 device authorization response' },
    badRequest: { description: 'RFC 6749 §5.2 error: invalid_request, invalid_scope, unauthorized_client' },
    unauthorized: { description: 'invalid_client' },
    tooManyRequests: { description: 'Rate limited per client and per IP' },
  })
  async authorize(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<DeviceAuthorizationResponse> {
    const params = OAuthParams.fromRequest(req);
    const { client } = await this.clientAuthentication.authenticate(req, params);
    const response = await this.requests.start(client, params.scopes(), requestMeta(req));
    // The response carries a secret (the device code): never cached.
    noStore(reply);
    return response;
  }
}
