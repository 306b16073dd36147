import { Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { AuditService } from '../audit/audit.service';
import type { Client } from '../clients/client.entity';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AccessTokenService } from './access-token.service';
import { InvalidGrantError } from './errors/oauth.errors';
import type { GrantRequestMeta, TokenResponse } from './grant-handler';
import type { Grant } from './grant.entity';
import { GrantsService } from './grants.service';
import { RefreshTokensService } from './refresh-tokens.service';
import { formatScopes } from './scope-list';

/** Issues the token pair of the code flow into a family, for code redemption and refresh alike. */
@Injectable()
export class CodeFlowTokensService {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly grants: GrantsService,
    private readonly users: UsersService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly audit: AuditService,
  ) {}

  /** The user a code or family acts for, if they may still sign in (else invalid_grant). */
  async activeUser(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user || user.status !== 'active') throw new InvalidGrantError('The user of this grant can no longer sign in');
    return user;
  }

  /**
   * Issues an access token (and a refresh token, for clients allowed one) into the family.
   * Scopes are narrowed to what the user holds right now: granted ∩ current permissions.
   */
  async issueInto(
    grant: Grant,
    client: Client,
    user: User,
    granted: readonly string[],
    meta: GrantRequestMeta,
    grantType: 'authorization_code' | 'refresh_token',
  ): Promise<TokenResponse> {
    const held = this.scopeRegistry.permissionsFor(user.roles);
    const scopes = granted.filter((s) => held.has(s));
    const access = await this.accessTokens.issue({ client, user, scopes, grantId: grant.id });
    // Only clients allowed the refresh_token grant get one (RFC 6749 §1.5: refresh tokens are optional).
    const refresh = client.grantTypes.includes('refresh_token') ? await this.refreshTokens.issue(grant) : undefined;

    // A concurrent replay may have revoked the family while these were being written, after
    // its own sweep. This request won the race, so it still answers, but what it issued must
    // end with the rest of the family: no token issued into a revoked family stays live.
    if (await this.grants.isRevoked(grant.id)) await this.grants.endTokensOf(grant.id);

    await this.audit.record({
      action: 'token.issue',
      outcome: 'success',
      actor: { type: 'client', id: client.clientId },
      target: { type: 'user', id: user.id },
      meta,
      details: { grant_type: grantType, family_id: grant.id, access_token_id: access.row.id, scopes: [...scopes], refresh_token: refresh !== undefined },
    });
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      scope: formatScopes(scopes),
      ...(refresh ? { refresh_token: refresh } : {}),
    };
  }
}
