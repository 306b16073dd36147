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
    const held = this.scopes.permissionsFor(row.client.owner.roles);
    return {
      ...this.principals.forClient(
        row.clientId,
        credential,
        row.scopes.filter((s) => held.has(s)),
      ),
      ...extra,
    };
  }
}
