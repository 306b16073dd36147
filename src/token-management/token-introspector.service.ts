import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '../clients/client.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { IntrospectionResponse } from './dto/introspection.response';
import { OAuthTokenTypeRegistry } from './oauth-token-type.registry';

/**
 * RFC 7662 introspection. A client may introspect the tokens issued to itself; a client an
 * admin marked as a resource server (introspectionAllowed) may introspect any token, PATs
 * included. Anything else — unknown, expired, revoked, or not the caller's to see — is just
 * `{ active: false }` with no other field (§2.2), so the answer leaks nothing.
 */
@Injectable()
export class TokenIntrospector {
  constructor(
    private readonly types: OAuthTokenTypeRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async introspect(caller: Client, token: string): Promise<IntrospectionResponse> {
    const info = await this.types.forToken(token)?.introspect?.(token);
    if (!info) return { active: false };
    if (!caller.introspectionAllowed && info.clientId !== caller.clientId) return { active: false };
    return {
      active: true,
      scope: info.scopes.join(' '),
      ...(info.clientId ? { client_id: info.clientId } : {}),
      ...(info.userId ? { sub: info.userId } : {}),
      ...(info.userKind ? { user_kind: info.userKind } : {}),
      ...(info.act ? { act: info.act } : {}),
      ...(info.audience ? { aud: info.audience } : {}),
      ...(info.expiresAt ? { exp: Math.floor(info.expiresAt.getTime() / 1000) } : {}),
      iat: Math.floor(info.issuedAt.getTime() / 1000),
      token_type: info.tokenType,
      iss: this.config.issuer,
    };
  }
}
