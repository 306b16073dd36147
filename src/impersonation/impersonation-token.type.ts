import { Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { ActiveTokenInfo, OAuthTokenType, OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';
import { ImpersonationTokensService } from './impersonation-tokens.service';
import { ImpersonationService } from './impersonation.service';
import { IMPERSONATION_TOKEN } from './impersonation.token-kind';

/**
 * Impersonation tokens at the introspection (RFC 7662) and revocation (RFC 7009) endpoints: the
 * client it was issued to, or a resource server, sees `sub` = the user, `act` = the admin
 * (RFC 8693 §4.1), `token_type` `Bearer`; its client may revoke it.
 */
@Injectable()
export class ImpersonationTokenType implements OAuthTokenType {
  readonly token = IMPERSONATION_TOKEN;
  readonly hint = 'access_token';

  constructor(
    registry: OAuthTokenTypeRegistry,
    private readonly impersonation: ImpersonationService,
    private readonly tokens: ImpersonationTokensService,
    private readonly scopes: ScopeRegistry,
  ) {
    registry.register(this);
  }

  revokeForClient(token: string, clientId: string): Promise<boolean> {
    return this.tokens.revokeForClient(token, clientId);
  }

  async introspect(token: string): Promise<ActiveTokenInfo | null> {
    const row = await this.impersonation.authenticate(token);
    if (!row) return null;
    const held = this.scopes.permissionsFor(row.subject.roles);
    return {
      clientId: row.clientId ?? undefined,
      userId: row.subjectUserId,
      userKind: 'person',
      act: { sub: row.actorUserId },
      scopes: row.scopes.filter((s) => held.has(s)),
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      tokenType: 'Bearer',
    };
  }
}
