import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import { ScopeRegistry } from '../auth/scope-registry';
import { hasPrefix } from '../auth/token-format';
import { AccessTokenService } from './access-token.service';
import { ACCESS_TOKEN, OAUTH_ACCESS_CREDENTIAL } from './access-token.token-kind';

export const OAUTH_ACCESS_BEARER_STRATEGY = 'oauth-access-bearer';

/**
 * Bearer OAuth access tokens (RFC 6750). It registers the access-token prefix, so the guard hands
 * it only `ghat_` tokens (PATs and the rest go to their own strategies).
 */
@Injectable()
export class OAuthAccessBearerStrategy extends PassportStrategy(Strategy, OAUTH_ACCESS_BEARER_STRATEGY) {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly principals: PrincipalFactory,
    private readonly scopes: ScopeRegistry,
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
    const credential = { kind: OAUTH_ACCESS_CREDENTIAL, id: row.id };
    if (row.user) return { ...this.principals.forUser(row.user, credential, row.scopes, row.clientId), expiresAt: row.expiresAt };
    // The client as itself: still never more than its owner holds today.
    const held = this.scopes.permissionsFor(row.client.owner.roles);
    return {
      ...this.principals.forClient(
        row.clientId,
        credential,
        row.scopes.filter((s) => held.has(s)),
      ),
      expiresAt: row.expiresAt,
    };
  }
}
