import { Controller, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientAuthenticatedEndpoint, noStore, OAuthClientAuthentication } from '../oauth/client-authenticated-endpoint';
import { IntrospectionRequestBody, OAuthErrorBody } from '../oauth/dto/oauth-openapi';
import { OAuthParams } from '../oauth/oauth-params';
import { IntrospectionResponse } from './dto/introspection.response';
import { TokenIntrospector } from './token-introspector.service';

/** RFC 7662 token introspection, for confidential clients (resource servers). */
@ApiTags('oauth')
@Controller('oauth')
export class IntrospectionController {
  constructor(
    private readonly clientAuthentication: OAuthClientAuthentication,
    private readonly introspector: TokenIntrospector,
  ) {}

  @ClientAuthenticatedEndpoint('introspect', {
    summary: 'Token introspection (RFC 7662)',
    body: { type: IntrospectionRequestBody, description: 'Form (RFC 7662 §2.1) or the same fields as JSON' },
    ok: { type: IntrospectionResponse, description: 'RFC 7662 §2.2; an unknown, expired or foreign token is { active: false }' },
    badRequest: { type: OAuthErrorBody, description: 'invalid_request' },
    unauthorized: { type: OAuthErrorBody, description: 'invalid_client' },
  })
  async introspect(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IntrospectionResponse> {
    const params = OAuthParams.fromRequest(req);
    // RFC 7662 §2.1: the endpoint is protected; a public client proves nothing about itself.
    const { client } = await this.clientAuthentication.authenticate(req, params, {
      requireSecret: 'Introspection requires client authentication',
    });
    const token = params.require('token');
    noStore(reply);
    return this.introspector.introspect(client, token);
  }
}
