import { Injectable } from '@nestjs/common';
import { AccessTokenPrincipals } from './access-token-principals.service';
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
    private readonly principals: AccessTokenPrincipals,
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
      // Effective today, as the Bearer strategies see it (a role change narrows it).
      scopes: this.principals.effectiveScopes(row),
      ...(row.audience ? { audience: row.audience } : {}),
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      tokenType: 'Bearer',
    };
  }
}
