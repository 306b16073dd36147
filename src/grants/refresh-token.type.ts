import { Injectable } from '@nestjs/common';
import { InvalidGrantError } from '../auth/errors/oauth.errors';
import { ClientsService } from '../clients/clients.service';
import { CodeFlowTokensService } from './code-flow-tokens.service';
import { GrantsService } from './grants.service';
import { ActiveTokenInfo, OAuthTokenType, OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';
import { RefreshTokensService } from './refresh-tokens.service';
import { REFRESH_TOKEN } from './grant.token-kinds';

/** Refresh tokens as the revocation (RFC 7009) and introspection (RFC 7662) endpoints see them. */
@Injectable()
export class RefreshTokenType implements OAuthTokenType {
  readonly token = REFRESH_TOKEN;
  readonly hint = 'refresh_token';

  constructor(
    registry: OAuthTokenTypeRegistry,
    private readonly tokens: RefreshTokensService,
    private readonly grants: GrantsService,
    private readonly clients: ClientsService,
    private readonly codeFlow: CodeFlowTokensService,
  ) {
    registry.register(this);
  }

  /** RFC 7009 §2.1: revoking a refresh token also ends the access tokens of its grant: the whole family. */
  async revokeForClient(token: string, clientId: string): Promise<boolean> {
    const row = await this.tokens.findByToken(token);
    if (!row || row.clientId !== clientId) return false;
    await this.grants.revoke(row.grantId, 'client_revoked');
    return true;
  }

  async introspect(token: string): Promise<ActiveTokenInfo | null> {
    const row = await this.tokens.findByToken(token);
    if (!row || row.rotatedAt || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return null;
    const grant = await this.grants.findById(row.grantId);
    if (!grant || grant.revokedAt || grant.expiresAt.getTime() <= Date.now()) return null;
    // Live as the refresh grant sees it (RFC 7662 §2.2): client and user active, the family issued
    // after both credential epochs (issue 22 §1), its scopes narrowed to what they hold today.
    const client = await this.clients.findActiveById(row.clientId);
    if (!client) return null;
    const user = await this.codeFlow.activeUser(client, grant.userId, grant.createdAt).catch((err: unknown) => {
      if (err instanceof InvalidGrantError) return null;
      throw err;
    });
    if (!user) return null;
    return {
      clientId: row.clientId,
      userId: grant.userId,
      scopes: this.codeFlow.effectiveScopes(client, user, grant.scopes),
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      tokenType: 'refresh_token',
    };
  }
}
