import { Injectable } from '@nestjs/common';
import { AccessTokenService } from './access-token.service';
import { ActiveTokenInfo, OAuthTokenType, OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';
import { ACCESS_TOKEN } from './access-token.token-kind';

/** OAuth access tokens as the revocation and introspection endpoints see them. */
@Injectable()
export class AccessTokenType implements OAuthTokenType {
  readonly token = ACCESS_TOKEN;
  readonly hint = 'access_token';

  constructor(
    registry: OAuthTokenTypeRegistry,
    private readonly tokens: AccessTokenService,
  ) {
    registry.register(this);
  }

  revokeForClient(token: string, clientId: string): Promise<boolean> {
    return this.tokens.revokeForClient(token, clientId);
  }

  async introspect(token: string): Promise<ActiveTokenInfo | null> {
    const row = await this.tokens.authenticate(token);
    if (!row) return null;
    return {
      clientId: row.clientId,
      userId: row.userId ?? undefined,
      scopes: row.scopes,
      ...(row.audience ? { audience: row.audience } : {}),
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      tokenType: 'Bearer',
    };
  }
}
