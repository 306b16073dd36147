import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import { ScopeRegistry } from '../auth/scope-registry';
import type { LiveAccessToken } from './access-token.service';
import { OAUTH_ACCESS_CREDENTIAL } from './access-token.token-kind';

/**
 * The Principal of a live OAuth access token, opaque or JWT: the user it acts for, or the
 * client as itself (never more than its owner holds today); with its expiry and `act`.
 */
@Injectable()
export class AccessTokenPrincipals {
  constructor(
    private readonly principals: PrincipalFactory,
    private readonly scopes: ScopeRegistry,
  ) {}

  of(row: LiveAccessToken, act?: { sub: string }): Principal {
    const credential = { kind: OAUTH_ACCESS_CREDENTIAL, id: row.id };
    const extra = { expiresAt: row.expiresAt, ...(act ? { act } : {}) };
    if (row.user) return { ...this.principals.forUser(row.user, credential, row.scopes, row.clientId), ...extra };
    return { ...this.principals.forClient(row.clientId, credential, this.effectiveScopes(row)), ...extra };
  }

  /**
   * What the token is good for today: granted ∩ what its user's roles hold now (the client's
   * owner's, for a client acting as itself). A role change that removes a scope narrows every
   * live token at its next use and in introspection (RFC 7662 §2.2 `scope`), as it narrows PATs
   * (issue 22 §1, "role change that removes a scope"); the row keeps what was granted.
   */
  effectiveScopes(row: LiveAccessToken): string[] {
    const held = this.scopes.permissionsFor((row.user ?? row.client.owner).roles);
    return row.scopes.filter((s) => held.has(s));
  }
}
