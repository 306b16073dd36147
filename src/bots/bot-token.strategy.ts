import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import { InvalidTokenError } from '../auth/errors/auth.errors';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import { hasPrefix } from '../auth/token-format';
import { BotTokensService } from './bot-tokens.service';
import { BOT_TOKEN, BOT_TOKEN_CREDENTIAL } from './bot-token.token-kind';

export const BOT_BEARER_STRATEGY = 'bot-bearer';

/**
 * Bearer authentication with a bot token (`ghbot_`): the principal's actor is the bot, its
 * effective scopes are the token's ∩ what the bot's roles hold now, and the credential names
 * the person who created the token (the audit log records them). The guard hands it only
 * `ghbot_` tokens (it registers the prefix).
 */
@Injectable()
export class BotTokenStrategy extends PassportStrategy(Strategy, BOT_BEARER_STRATEGY) {
  constructor(
    private readonly tokens: BotTokensService,
    private readonly principals: PrincipalFactory,
    registry: AuthStrategyRegistry,
  ) {
    super({ passReqToCallback: true });
    registry.register({ scheme: 'bearer', strategy: BOT_BEARER_STRATEGY, token: BOT_TOKEN, credentialKind: BOT_TOKEN_CREDENTIAL });
  }

  async validate(req: FastifyRequest, token: string): Promise<Principal | false> {
    if (!hasPrefix(BOT_TOKEN, token)) return false;
    const row = await this.tokens.authenticate(token, req.ip);
    if (!row) throw new InvalidTokenError('The bot token is invalid, expired or revoked, or its bot is disabled');
    const credential = { kind: BOT_TOKEN_CREDENTIAL, id: row.id, ...(row.createdBy ? { createdBy: row.createdBy } : {}) };
    return { ...this.principals.forUser(row.bot, credential, row.scopes), expiresAt: row.expiresAt ?? undefined };
  }
}
