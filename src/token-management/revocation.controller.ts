import { Controller, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { requestMeta } from '../common/request-meta';
import { ClientAuthenticatedEndpoint, noStore, OAuthClientAuthentication } from '../oauth/client-authenticated-endpoint';
import { OAuthErrorBody, RevocationRequestBody } from '../oauth/dto/oauth-openapi';
import { OAuthParams } from '../oauth/oauth-params';
import { OAuthTokenTypeRegistry } from './oauth-token-type.registry';

/** RFC 7009 token revocation. */
@ApiTags('oauth')
@Controller('oauth')
export class RevocationController {
  constructor(
    private readonly clientAuthentication: OAuthClientAuthentication,
    private readonly types: OAuthTokenTypeRegistry,
    private readonly audit: AuditService,
  ) {}

  /**
   * RFC 7009 §2.2: 200 whether or not anything was revoked — an unknown token, or one issued to
   * another client, is left alone and still answers 200. The token's own prefix decides its type;
   * `token_type_hint` is accepted but not trusted (§2.1).
   */
  @ClientAuthenticatedEndpoint('revoke', {
    summary: 'Token revocation (RFC 7009)',
    body: { type: RevocationRequestBody, description: 'Form (RFC 7009 §2.1) or the same fields as JSON' },
    ok: {
      description: 'Revoked, or nothing to revoke (RFC 7009 §2.2: the same answer either way)',
      schema: { type: 'object', example: {} },
    },
    badRequest: { type: OAuthErrorBody, description: 'invalid_request, unsupported_token_type (RFC 7009 §2.2.1)' },
    unauthorized: { type: OAuthErrorBody, description: 'invalid_client' },
  })
  async revoke(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, never>> {
    const params = OAuthParams.fromRequest(req);
    const { client, secretId } = await this.clientAuthentication.authenticate(req, params);
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
    noStore(reply);
    return {};
  }
}
