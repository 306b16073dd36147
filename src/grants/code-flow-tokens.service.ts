import { Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { hashToken } from '../auth/token-format';
import { AuditService } from '../audit/audit.service';
import type { Client } from '../clients/client.entity';
import { issuedBeforeEpoch } from '../users/credential-epoch';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AccessToken } from '../access-tokens/access-token.entity';
import { AccessTokenService } from '../access-tokens/access-token.service';
import { CodeFlowExtensionRegistry } from './code-flow-extension.registry';
import { InvalidGrantError } from '../auth/errors/oauth.errors';
import type { GrantRequestMeta, TokenResponse } from '../token-endpoint/grant-handler';
import type { Grant } from './grant.entity';
import { GrantsService } from './grants.service';
import type { RefreshSuccessor } from './refresh-successors.service';
import { RefreshTokensService } from './refresh-tokens.service';
import { formatScopes } from '../oauth/scope-list';

/** Issues the token pair of the code flow into a family, for code and device-code redemption and refresh alike. */
@Injectable()
export class CodeFlowTokensService {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly grants: GrantsService,
    private readonly users: UsersService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly audit: AuditService,
    private readonly extensions: CodeFlowExtensionRegistry,
  ) {}

  /**
   * The user a code or family acts for, if they may still sign in and the code or family was
   * issued (`issuedAt`) after the user's credential epoch (issue 22 §1: revoke-all, disable,
   * password change or reset end what is in flight) and after the client's (disabling the
   * client ends what was issued to it, also once it is enabled again). Else invalid_grant
   * (RFC 6749 §5.2). `issuedToClientAt` is when the client was given it, if not `issuedAt`
   * (a device code: issued to the client at its request, to the user at approval).
   */
  async activeUser(client: Client, userId: string, issuedAt: Date | null, issuedToClientAt: Date | null = issuedAt): Promise<User> {
    if (issuedBeforeEpoch(client, issuedToClientAt)) throw new InvalidGrantError('The grant was issued before the client was disabled');
    const user = await this.users.findById(userId);
    if (!user || user.status !== 'active') throw new InvalidGrantError('The user of this grant can no longer sign in');
    if (issuedBeforeEpoch(user, issuedAt)) throw new InvalidGrantError('The grant was issued before the user’s credentials were revoked');
    return user;
  }

  /**
   * What a grant is good for today: never more than the client may ask for now (an edit may
   * have narrowed it) nor the user's roles hold now (issue 22 §1: a role change that removes a
   * scope narrows codes, device codes and refresh families at redemption, and introspection).
   */
  effectiveScopes(client: Client, user: User, granted: readonly string[]): string[] {
    const held = this.scopeRegistry.permissionsFor(user.roles);
    return granted.filter((s) => held.has(s) && client.allowedScopes.includes(s));
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
    /** The grant_type that led here, as the audit event records it. */
    grantType: string,
    /** The authorization code being redeemed, for code-flow extensions (OpenID Connect). */
    code?: string,
  ): Promise<TokenResponse> {
    const scopes = this.effectiveScopes(client, user, granted);
    const access = await this.accessTokens.issue({ client, user, scopes, grantId: grant.id, audience: meta.audience });
    // Only clients allowed the refresh_token grant get one (RFC 6749 §1.5: refresh tokens are optional).
    const refresh = client.grantTypes.includes('refresh_token') ? await this.refreshTokens.issue(grant) : undefined;

    // A concurrent replay may have revoked the family while these were being written, after
    // its own sweep. This request won the race, so it still answers, but what it issued must
    // end with the rest of the family: no token issued into a revoked family stays live.
    if (await this.grants.isRevoked(grant.id)) await this.grants.endTokensOf(grant.id);

    await this.recordIssue(grant, client, user.id, meta, grantType, access.row, refresh !== undefined);
    const response = tokenResponse(access.token, access.expiresIn, scopes, refresh);
    return this.extensions.extendTokenResponse({ grantType, client, user, grantId: grant.id, scopes, response, code });
  }

  /**
   * Graceful rotation: writes the one successor derived from the presented refresh token (its
   * access token and, for clients allowed one, its refresh token). Concurrent callers with the
   * same token write the same rows, so all of them end up with the one successor; the rows'
   * stored scopes and expiry win over this caller's. Null when the successor is no longer live.
   * Call `announceSuccessor` once the presented token has been rotated out.
   */
  async issueSuccessor(
    grant: Grant,
    client: Client,
    user: User,
    granted: readonly string[],
    successor: RefreshSuccessor,
    audience?: string,
  ): Promise<TokenResponse | null> {
    const scopes = this.effectiveScopes(client, user, granted);
    const withRefresh = client.grantTypes.includes('refresh_token');
    const access = await this.accessTokens.issueOrFind({ client, user, scopes, grantId: grant.id, audience }, successor.accessToken);
    if (withRefresh) await this.refreshTokens.issueOrKeep(grant, successor.refreshToken);
    // As in issueInto: nothing issued into a family revoked meanwhile stays live.
    if (await this.grants.isRevoked(grant.id)) await this.grants.endTokensOf(grant.id);
    if (!access) return null;
    const response = tokenResponse(access.token, access.expiresIn, access.row.scopes, withRefresh ? successor.refreshToken : undefined);
    return this.extensions.extendTokenResponse({
      grantType: 'refresh_token',
      client,
      user,
      grantId: grant.id,
      scopes: access.row.scopes,
      response,
    });
  }

  /** The audit record of a successful rotation (only the request that rotated the token writes it). */
  async announceSuccessor(
    grant: Grant,
    client: Client,
    userId: string,
    successor: RefreshSuccessor,
    meta: GrantRequestMeta,
  ): Promise<void> {
    const access = await this.accessTokens.findLiveDerived(successor.accessToken, grant.id, client);
    if (access)
      await this.recordIssue(grant, client, userId, meta, 'refresh_token', access.row, client.grantTypes.includes('refresh_token'));
  }

  /**
   * A rotated-out token presented again within the grace window: the successor it was rotated
   * into, if that is still live and unused (any of `candidates`, one per configured key).
   * Null otherwise, which the caller treats as reuse.
   */
  async replaySuccessor(grant: Grant, client: Client, candidates: readonly RefreshSuccessor[]): Promise<TokenResponse | null> {
    const live = await this.refreshTokens.findLiveInFamily(
      candidates.map((c) => c.refreshToken),
      grant.id,
    );
    const successor = live && candidates.find((c) => hashToken(c.refreshToken) === live.tokenHash);
    if (!successor) return null;
    const access = await this.accessTokens.findLiveDerived(successor.accessToken, grant.id, client);
    if (!access) return null;
    return tokenResponse(access.token, access.expiresIn, access.row.scopes, successor.refreshToken);
  }

  private recordIssue(
    grant: Grant,
    client: Client,
    userId: string,
    meta: GrantRequestMeta,
    grantType: string,
    access: AccessToken,
    refresh: boolean,
  ) {
    return this.audit.record({
      action: 'token.issue',
      outcome: 'success',
      actor: { type: 'client', id: client.clientId },
      target: { type: 'user', id: userId },
      meta,
      details: { grantType, familyId: grant.id, accessTokenId: access.id, scopes: [...access.scopes], refreshToken: refresh },
    });
  }
}

function tokenResponse(accessToken: string, expiresIn: number, scopes: readonly string[], refreshToken: string | undefined): TokenResponse {
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: formatScopes(scopes),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
  };
}
