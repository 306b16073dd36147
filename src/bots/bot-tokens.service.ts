import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { checkChosenScopes, expiryFrom, isExpiredAt, recordUse } from '../auth/minted-token-rules';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ScopeRegistry } from '../auth/scope-registry';
import { generateToken, hashToken, isWellFormed, redactToken } from '../auth/token-format';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import { BotToken } from './bot-token.entity';
import { NOT_FOR_BOT_TOKENS } from './bots.scopes';
import type { BotTokenView } from './dto/bot-token.view';
import { BOT_TOKEN } from './bot-token.token-kind';

export interface NewBotToken {
  name: string;
  scopes: readonly string[];
  /** undefined: the configured default; null: never expires (only where configuration allows it). */
  expiresInDays?: number | null;
}

/** What the hot path loads: the token's own columns and only the bot's columns a Principal needs. */
export type LiveBotToken = Pick<BotToken, 'id' | 'botId' | 'createdBy' | 'scopes' | 'createdAt' | 'expiresAt' | 'lastUsedAt'> & {
  bot: Pick<User, 'id' | 'email' | 'displayName' | 'roles' | 'status' | 'kind'>;
};

export function toBotTokenView(t: BotToken, now = Date.now()): BotTokenView {
  return {
    id: t.id,
    botId: t.botId,
    name: t.name,
    hint: t.hint,
    scopes: t.scopes,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    expired: isExpiredAt(t.expiresAt, now),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: t.lastUsedIp,
  };
}

/**
 * Bot (impersonated) access tokens: minted by a bot's managers, authenticate as the bot.
 * Access checks (who may manage which bot) are the caller's (BotsService); this service owns
 * the `bot_tokens` table and the hot-path lookup.
 */
@Injectable()
export class BotTokensService {
  constructor(
    @InjectRepository(BotToken) private readonly tokens: Repository<BotToken>,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Mints a token for `bot`. Scopes must be registered, held by the bot now, and (unless the
   * creator is an admin) held by the creator now: a manager cannot mint more than they hold.
   * Returns the plaintext once; only its SHA-256 is stored. 400 on a bad name, scope or expiry.
   */
  async create(creator: Principal, bot: User, input: NewBotToken, meta: RequestMeta): Promise<{ token: BotToken; plaintext: string }> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw new BadRequestException('name must be 1 to 100 characters');
    const scopes = this.checkScopes(input.scopes, bot.roles, creator);
    const now = new Date();
    const plaintext = generateToken(BOT_TOKEN);
    const token = await this.tokens.save(
      this.tokens.create({
        botId: bot.id,
        createdBy: creator.actor.id,
        name,
        tokenHash: hashToken(plaintext),
        hint: redactToken(plaintext),
        scopes,
        createdAt: now,
        expiresAt: expiryFrom(now, input.expiresInDays, this.config.botTokens),
        lastUsedAt: null,
        lastUsedIp: null,
        revokedAt: null,
      }),
    );
    await this.audit.recordFor(creator, {
      action: 'bot_token.create',
      outcome: 'success',
      target: { type: 'bot_token', id: token.id },
      meta,
      details: { botId: bot.id, name, scopes, expiresAt: token.expiresAt?.toISOString() ?? null },
    });
    return { token, plaintext };
  }

  /** The bot's tokens that are not revoked (expired ones included), newest first. */
  listForBot(botId: string): Promise<BotToken[]> {
    return this.tokens.find({ where: { botId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  /** Live (unrevoked, unexpired) tokens of every bot, for the admin view and dashboard. */
  async countLive(): Promise<number> {
    return this.tokens
      .createQueryBuilder('t')
      .where('t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)', { now: new Date() })
      .getCount();
  }

  /**
   * Revokes one token of the bot at once. False when it is not the bot's or already revoked.
   * The one revocation path (with revokeAllForBot): a credential cache hooks in here.
   */
  async revoke(botId: string, tokenId: string): Promise<boolean> {
    const res = await this.tokens.update({ id: tokenId, botId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  /** Revokes every token of the bot (incident response; the caller audits). */
  async revokeAllForBot(botId: string): Promise<number> {
    const res = await this.tokens.update({ botId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }

  /**
   * The hot path: format and checksum (no I/O for junk), then one query by the unique hash
   * index joined with only the bot user's columns a Principal needs. Null when malformed,
   * unknown, revoked, expired, or the bot is disabled (so disabling a bot stops its tokens at once).
   */
  async authenticate(plaintext: string, ip: string): Promise<LiveBotToken | null> {
    const now = Date.now();
    const token = await this.findLive(plaintext, now);
    if (token) await recordUse(this.tokens, token, ip, now);
    return token;
  }

  /** `authenticate` without recording a use (introspection asks about a token, it does not use it). */
  async findLive(plaintext: string, now = Date.now()): Promise<LiveBotToken | null> {
    if (!isWellFormed(BOT_TOKEN, plaintext)) return null;
    const row = (await this.tokens
      .createQueryBuilder('t')
      .innerJoin('t.bot', 'u')
      .select(['t.id', 't.botId', 't.createdBy', 't.scopes', 't.createdAt', 't.expiresAt', 't.lastUsedAt'])
      .addSelect(['u.id', 'u.email', 'u.displayName', 'u.roles', 'u.status', 'u.kind'])
      .where('t.token_hash = :tokenHash', { tokenHash: hashToken(plaintext) })
      .andWhere('t.revoked_at IS NULL')
      .getOne()) as LiveBotToken | null;
    if (!row?.bot || row.bot.status !== 'active' || row.bot.kind !== 'bot') return null;
    if (isExpiredAt(row.expiresAt, now)) return null;
    return row;
  }

  /** Scopes a manager may choose for a bot's token: registered, held by the bot, and by them (unless admin). */
  choosableScopes(botRoles: readonly string[], creator: Principal): { name: string; description: string }[] {
    const allowed = this.allowedScopes(botRoles, creator);
    return this.scopes
      .list()
      .filter((s) => allowed.has(s.name) && !s.identity)
      .map(({ name, description }) => ({ name, description }));
  }

  expiryPolicy(): AppConfig['botTokens'] {
    return this.config.botTokens;
  }

  private allowedScopes(botRoles: readonly string[], creator: Principal): Set<string> {
    const held = new Set([...this.scopes.permissionsFor(botRoles)].filter((s) => !NOT_FOR_BOT_TOKENS.has(s)));
    if (creator.scopes.has('admin')) return held;
    const creatorHolds = this.scopes.permissionsFor(creator.user?.roles ?? []);
    return new Set([...held].filter((s) => creatorHolds.has(s)));
  }

  private checkScopes(requested: readonly string[], botRoles: readonly string[], creator: Principal): string[] {
    return checkChosenScopes(this.scopes, requested, this.allowedScopes(botRoles, creator), 'The bot (and you) must hold the scope');
  }
}
