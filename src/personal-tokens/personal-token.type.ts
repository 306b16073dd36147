import { Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { ActiveTokenInfo, OAuthTokenType, OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';
import { PersonalTokensService } from './personal-tokens.service';
import { PAT_TOKEN } from './personal-token.token-kind';

/**
 * Personal access tokens as the introspection endpoint (RFC 7662) sees them. A PAT belongs to
 * no client, so `TokenIntrospector` shows it only to clients allowed to introspect any token
 * (resource servers) and answers `{ active: false }` to everyone else.
 *
 * Deliberately no `revokeForClient`: no client may revoke a PAT through `/oauth/revoke`; the
 * endpoint answers 200 and leaves it alone (RFC 7009 §2.2). Its owner revokes it on the API
 * keys page, an administrator through the admin API.
 */
@Injectable()
export class PersonalTokenType implements OAuthTokenType {
  readonly token = PAT_TOKEN;
  readonly hint = 'personal_access_token';

  constructor(
    registry: OAuthTokenTypeRegistry,
    private readonly tokens: PersonalTokensService,
    private readonly scopes: ScopeRegistry,
  ) {
    registry.register(this);
  }

  async introspect(token: string): Promise<ActiveTokenInfo | null> {
    const pat = await this.tokens.findLive(token);
    if (!pat) return null;
    // Effective today, as the PAT Bearer strategy sees it: granted ∩ what the user's roles hold now.
    const held = this.scopes.permissionsFor(pat.user.roles);
    return {
      userId: pat.userId,
      scopes: pat.scopes.filter((s) => held.has(s)),
      issuedAt: pat.createdAt,
      expiresAt: pat.expiresAt,
      tokenType: this.hint,
    };
  }
}
