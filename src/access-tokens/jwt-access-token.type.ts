import { Injectable } from '@nestjs/common';
import { AccessTokenPrincipals } from './access-token-principals.service';
import { AccessTokenService } from './access-token.service';
import { JwtAccessTokensService } from './jwt-access-tokens.service';
import { ActiveTokenInfo, OAuthTokenType, OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';

/**
 * JWT access tokens (RFC 9068) at revocation and introspection: recognised by their JWS shape,
 * verified with the published keys (any audience), then looked up by `jti`. Revoking one marks
 * its row, which Gatehouse's guard checks; introspection then answers `active: false`.
 */
@Injectable()
export class JwtAccessTokenType implements OAuthTokenType {
  readonly hint = 'access_token';

  constructor(
    registry: OAuthTokenTypeRegistry,
    private readonly tokens: AccessTokenService,
    private readonly principals: AccessTokenPrincipals,
  ) {
    registry.register(this);
  }

  matches(token: string): boolean {
    return JwtAccessTokensService.looksLikeJwt(token);
  }

  revokeForClient(token: string, clientId: string): Promise<boolean> {
    return this.tokens.revokeForClient(token, clientId);
  }

  async introspect(token: string): Promise<ActiveTokenInfo | null> {
    const found = await this.tokens.findLiveJwt(token);
    if (!found) return null;
    const { row, claims } = found;
    return {
      clientId: row.clientId,
      userId: row.userId ?? undefined,
      ...(claims.act ? { act: claims.act } : {}),
      // Effective today, as the Bearer strategies see it (a role change narrows it).
      scopes: this.principals.effectiveScopes(row),
      ...(row.audience ? { audience: row.audience } : {}),
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      tokenType: 'Bearer',
    };
  }
}
