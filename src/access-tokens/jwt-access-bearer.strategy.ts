import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import { InvalidTokenError } from '../auth/errors/auth.errors';
import type { Principal } from '../auth/principal';
import { AccessTokenPrincipals } from './access-token-principals.service';
import { AccessTokenService } from './access-token.service';
import { JwtAccessTokensService } from './jwt-access-tokens.service';
import { OAUTH_ACCESS_CREDENTIAL } from './access-token.token-kind';

export const JWT_ACCESS_BEARER_STRATEGY = 'jwt-access-bearer';

/**
 * Bearer JWT access tokens (RFC 9068) that Gatehouse signed, at Gatehouse's own API. Claims only
 * tokens shaped like a JWS (the opaque-token strategies never see them, and it never sees theirs).
 * Verification uses the cached key set (no query); then one indexed lookup by `jti` checks
 * revocation, so a revoked JWT is refused here at once, and loads the client and user as the
 * opaque strategy does. A JWT for another audience is refused (RFC 9068 §4).
 */
@Injectable()
export class JwtAccessBearerStrategy extends PassportStrategy(Strategy, JWT_ACCESS_BEARER_STRATEGY) {
  constructor(
    registry: AuthStrategyRegistry,
    private readonly tokens: AccessTokenService,
    private readonly principals: AccessTokenPrincipals,
  ) {
    super();
    registry.register({
      scheme: 'bearer',
      strategy: JWT_ACCESS_BEARER_STRATEGY,
      credentialKind: OAUTH_ACCESS_CREDENTIAL,
      // A JWT has no prefix: the guard asks this only when no prefix matched.
      matches: (token) => JwtAccessTokensService.looksLikeJwt(token),
    });
  }

  async validate(token: string): Promise<Principal | false> {
    if (!JwtAccessTokensService.looksLikeJwt(token)) return false;
    // Ours from here on: a JWT that does not verify must not fall through to another strategy.
    const found = await this.tokens.authenticateJwt(token);
    if (!found) throw new InvalidTokenError();
    return this.principals.of(found.row, found.claims.act);
  }
}
