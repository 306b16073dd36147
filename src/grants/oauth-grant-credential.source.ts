import { Injectable } from '@nestjs/common';
import { CredentialSummary, UserCredentialSource } from '../users/user-credential-source';
import { AccessTokenService } from '../access-tokens/access-token.service';
import { GrantsService } from './grants.service';

/**
 * OAuth grants: one refresh-token family per authorization, with its access tokens. Revoking
 * one ends its refresh token and every access token issued from it. Registered by the code-flow
 * module; the dashboard also counts live access tokens through it.
 */
@Injectable()
export class OAuthGrantCredentialSource implements UserCredentialSource {
  readonly kind = 'oauth_grant';
  readonly labels = { oauth_grant: 'OAuth grants', oauth_access_token: 'OAuth access tokens' };

  constructor(
    private readonly grants: GrantsService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async listLiveForUser(userId: string): Promise<CredentialSummary[]> {
    const rows = await this.grants.listLiveForUser(userId);
    return rows.map((g) => ({
      kind: this.kind,
      id: g.id,
      label: `client ${g.clientId} · ${g.scopes.join(' ')}`,
      createdAt: g.createdAt.toISOString(),
      lastUsedAt: null,
      expiresAt: g.expiresAt.toISOString(),
    }));
  }

  async revokeOne(userId: string, grantId: string): Promise<boolean> {
    const grant = await this.grants.findById(grantId);
    if (!grant || grant.userId !== userId || grant.revokedAt !== null) return false;
    await this.grants.revoke(grantId, 'admin_revoked');
    return true;
  }

  revokeAllForUser(userId: string): Promise<number> {
    return this.grants.revokeAllForUser(userId, 'admin_revoked');
  }

  async countLive(): Promise<Record<string, number>> {
    const [grants, accessTokens] = await Promise.all([this.grants.countLive(), this.accessTokens.countLive()]);
    return { oauth_grant: grants, oauth_access_token: accessTokens };
  }
}
