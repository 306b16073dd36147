import { Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { ActiveTokenInfo, OAuthTokenType, OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';
import { BotTokensService } from './bot-tokens.service';
import { BOT_TOKEN } from './bot-token.token-kind';

/**
 * Bot tokens as the introspection endpoint (RFC 7662) sees them: like PATs, visible only to
 * resource-server clients; `sub` is the bot, `token_type` `bot_token`, `user_kind` `bot`.
 * No `revokeForClient`: /oauth/revoke leaves them alone (RFC 7009 §2.2); managers revoke them.
 */
@Injectable()
export class BotTokenType implements OAuthTokenType {
  readonly token = BOT_TOKEN;
  readonly hint = 'bot_token';

  constructor(
    registry: OAuthTokenTypeRegistry,
    private readonly tokens: BotTokensService,
    private readonly scopes: ScopeRegistry,
  ) {
    registry.register(this);
  }

  async introspect(token: string): Promise<ActiveTokenInfo | null> {
    const row = await this.tokens.findLive(token);
    if (!row) return null;
    const held = this.scopes.permissionsFor(row.bot.roles);
    return {
      userId: row.botId,
      userKind: 'bot',
      scopes: row.scopes.filter((s) => held.has(s)),
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      tokenType: this.hint,
    };
  }
}
