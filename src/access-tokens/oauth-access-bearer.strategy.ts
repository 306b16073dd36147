import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import type { Principal } from '../auth/principal';
import { PrincipalMemo } from '../auth/principal-memo';
import { hasPrefix } from '../auth/token-format';
import { AccessTokenPrincipals } from './access-token-principals.service';
import { AccessTokenService, LiveAccessToken } from './access-token.service';
import { ACCESS_TOKEN, OAUTH_ACCESS_CREDENTIAL } from './access-token.token-kind';

export const OAUTH_ACCESS_BEARER_STRATEGY = 'oauth-access-bearer';

/**
 * Bearer OAuth access tokens (RFC 6750). It registers the access-token prefix, so the guard hands
 * it only `ghat_` tokens (PATs and the rest go to their own strategies).
 */
@Injectable()
export class OAuthAccessBearerStrategy extends PassportStrategy(Strategy, OAUTH_ACCESS_BEARER_STRATEGY) {
  /** One Principal per cached row (an opaque token carries no `act`: the row decides it all). */
  private readonly memo = new PrincipalMemo<LiveAccessToken>();

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly principals: AccessTokenPrincipals,
    registry: AuthStrategyRegistry,
  ) {
    super();
    registry.register({
      scheme: 'bearer',
      strategy: OAUTH_ACCESS_BEARER_STRATEGY,
      token: ACCESS_TOKEN,
      credentialKind: OAUTH_ACCESS_CREDENTIAL,
    });
  }

  async validate(token: string): Promise<Principal | false> {
    if (!hasPrefix(ACCESS_TOKEN, token)) return false;
    const row = await this.tokens.authenticate(token);
    if (!row) return false;
    return this.memo.of(row, (r) => this.principals.of(r));
  }
}
