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
import { OAuthErrorBody, RevocationRequestBody } from '../oauth/dto/oauth-openapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { Public } from '../auth/decorators/public.decorator';
import { ClientAuthenticator } from '../clients/client-authenticator.service';
import { requestMeta } from '../common/request-meta';
import { clientCredentialsOf } from '../oauth/oauth-client-credentials';
import { OAuthParams } from '../oauth/oauth-params';
import { OAuthTokenTypeRegistry } from './oauth-token-type.registry';
import { TokenEndpointThrottleGuard } from '../oauth/token-endpoint-throttle.guard';

/** RFC 7009 token revocation. */
@ApiTags('oauth')
@Controller('oauth')
export class RevocationController {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly types: OAuthTokenTypeRegistry,
    private readonly audit: AuditService,
  ) {}

  /**
   * RFC 7009 §2.2: 200 whether or not anything was revoked — an unknown token, or one issued to
   * another client, is left alone and still answers 200. The token's own prefix decides its type;
   * `token_type_hint` is accepted but not trusted (§2.1).
   */
  @Public()
  @UseGuards(TokenEndpointThrottleGuard)
  @RouteConfig({ [OAUTH_ERROR_BODIES]: true })
  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token revocation (RFC 7009)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: RevocationRequestBody, description: 'Form (RFC 7009 §2.1) or the same fields as JSON' })
  @ApiOkResponse({
    description: 'Revoked, or nothing to revoke (RFC 7009 §2.2: the same answer either way)',
    schema: { type: 'object', example: {} },
  })
  @ApiBadRequestResponse({ type: OAuthErrorBody, description: 'invalid_request, unsupported_token_type (RFC 7009 §2.2.1)' })
  @ApiUnauthorizedResponse({ type: OAuthErrorBody, description: 'invalid_client' })
  async revoke(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, never>> {
    const params = OAuthParams.fromRequest(req);
    const { client, secretId } = await this.authenticator.authenticate(clientCredentialsOf(req, params));
    const token = params.require('token');
    params.get('token_type_hint'); // read only to refuse a repeated one: the prefix decides
    const type = this.types.forToken(token);
    const revoked = (await type?.revokeForClient?.(token, client.clientId)) ?? false;
    if (revoked) {
      await this.audit.record({
        action: 'token.revoke',
        outcome: 'success',
        actor: { type: 'client', id: client.clientId },
        credential: secretId ? { kind: 'client_secret', id: secretId } : undefined,
        target: { type: 'client', id: client.clientId },
        meta: requestMeta(req),
        details: { tokenType: type?.hint },
      });
    }
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return {};
  }
}
