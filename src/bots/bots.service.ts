import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuditPage, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { isRole, Role } from '../auth/roles';
import { ScopeRegistry } from '../auth/scope-registry';
import { keysetPage, type Page, type PageRequest, pageOfList } from '../common/keyset';
import type { RequestMeta } from '../common/request-meta';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ADMIN_SCOPE } from '../users/users.scopes';
import { BotManager } from './bot-manager.entity';
import type { BotToken } from './bot-token.entity';
import { BotTokensService } from './bot-tokens.service';
import { Bot } from './bot.entity';
import type { BotView } from './dto/bot.view';

export interface NewBot {
  name: string;
  description?: string;
  roles: readonly string[];
}

export interface BotChanges {
  description?: string;
  roles?: readonly string[];
}

/** A bot with its user row and its managers (people), as pages and the API show it. */
export interface BotRecord {
  bot: Bot;
  user: User;
  managers: User[];
}

export function toBotView(r: BotRecord): BotView {
  const activeManagers = r.managers.filter((m) => m.status === 'active');
  return {
    id: r.user.id,
    name: r.user.displayName,
    description: r.bot.description,
    kind: 'bot',
    roles: r.user.roles,
    status: r.user.status,
    createdBy: r.bot.createdBy,
    createdAt: r.bot.createdAt.toISOString(),
    managers: r.managers.map((m) => ({ id: m.id, email: m.email, displayName: m.displayName, status: m.status })),
    unmanaged: activeManagers.length === 0,
  };
}

/**
 * Bot users and their owner teams. A bot's name, roles and status live on its `users` row,
 * changed only through UsersService; this service owns `bots` and `bot_managers`.
 *
 * Access: an admin may manage every bot; anyone else only the bots they are a manager of (and
 * the routes require `manage:bots`). A bot that is not theirs is a 404, as if it did not exist.
 */
@Injectable()
export class BotsService {
  constructor(
    @InjectRepository(Bot) private readonly bots: Repository<Bot>,
    @InjectRepository(BotManager) private readonly managers: Repository<BotManager>,
    private readonly users: UsersService,
    private readonly tokens: BotTokensService,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates a bot with the creator as its first manager. Roles: known, at least one, never more
   * than the creator holds now; only admins may give `admin`. 400 otherwise.
   */
  async create(creator: Principal, input: NewBot, meta: RequestMeta): Promise<BotRecord> {
    const person = this.personOf(creator);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw new BadRequestException('name must be 1 to 100 characters');
    const description = (input.description ?? '').trim();
    if (description.length > 500) throw new BadRequestException('description must be at most 500 characters');
    const roles = this.checkRoles(input.roles, creator);
    const user = await this.users.createBot({ displayName: name, roles });
    const now = new Date();
    const bot = await this.bots.save(this.bots.create({ userId: user.id, description, createdBy: person.id, createdAt: now }));
    await this.managers.insert({ botId: user.id, userId: person.id, addedAt: now });
    await this.audit.recordFor(creator, {
      action: 'bot.create',
      outcome: 'success',
      target: { type: 'user', id: user.id },
      meta,
      details: { name, roles },
    });
    return { bot, user, managers: await this.users.findByIds([person.id]) };
  }

  /** The bots the person manages, newest first. */
  async listManagedBy(userId: string): Promise<BotRecord[]> {
    const ids = (await this.managers.find({ where: { userId }, select: { botId: true } })).map((m) => m.botId);
    return this.records(ids.length === 0 ? [] : await this.bots.find({ where: { userId: In(ids) }, order: { createdAt: 'DESC' } }));
  }

  /** Every bot (the admin view), newest first; `unmanaged` ones have no active manager. */
  async listAll(): Promise<BotRecord[]> {
    return this.records(await this.bots.find({ order: { createdAt: 'DESC' } }));
  }

  /** One keyset page of every bot, newest first (the admin API). */
  async pageAll(page: PageRequest): Promise<Page<BotRecord>> {
    const rows = await keysetPage(this.bots.createQueryBuilder('b'), { time: 'b.created_at', id: 'b.user_id' }, page, (b) => ({
      time: b.createdAt,
      id: b.userId,
    }));
    return { items: await this.records(rows.items), nextCursor: rows.nextCursor };
  }

  /** One page of the bots a person manages (a handful: paged in memory). */
  async pageManagedBy(userId: string, page: PageRequest): Promise<Page<BotRecord>> {
    return pageOfList(await this.listManagedBy(userId), page, (r) => ({ time: r.bot.createdAt, id: r.bot.userId }));
  }

  /** The bot if `p` may manage it; 404 otherwise (also for ids that are not bots). */
  async getManageable(p: Principal, botId: string): Promise<BotRecord> {
    const bot = await this.bots.findOneBy({ userId: botId });
    const [record] = bot ? await this.records([bot]) : [];
    if (!record || !this.mayManage(p, record)) throw new NotFoundException('No such bot');
    return record;
  }

  /** Changes description and/or roles (the same ceiling as creation, against the editor). */
  async update(p: Principal, botId: string, changes: BotChanges, meta: RequestMeta): Promise<BotRecord> {
    const record = await this.getManageable(p, botId);
    const details: Record<string, unknown> = {};
    if (changes.description !== undefined) {
      const description = changes.description.trim();
      if (description.length > 500) throw new BadRequestException('description must be at most 500 characters');
      await this.bots.update({ userId: botId }, { description });
      details.description = description;
    }
    if (changes.roles !== undefined) {
      const roles = this.checkRoles(changes.roles, p);
      // Effective scopes of its tokens narrow on the next request: they are computed live.
      await this.users.setBotRoles(botId, roles);
      Object.assign(details, { rolesBefore: record.user.roles, roles });
    }
    await this.audit.recordFor(p, { action: 'bot.update', outcome: 'success', target: { type: 'user', id: botId }, meta, details });
    return this.getManageable(p, botId);
  }

  /** Disabling stops every token of the bot on its next request (the strategy checks the status). */
  async setStatus(p: Principal, botId: string, status: User['status'], meta: RequestMeta): Promise<BotRecord> {
    await this.getManageable(p, botId);
    await this.users.setStatus(botId, status);
    await this.audit.recordFor(p, {
      action: status === 'disabled' ? 'bot.disable' : 'bot.enable',
      outcome: 'success',
      target: { type: 'user', id: botId },
      meta,
    });
    return this.getManageable(p, botId);
  }

  /** Deletes the bot; its tokens, managers and profile go with its user row. */
  async delete(p: Principal, botId: string, meta: RequestMeta): Promise<void> {
    await this.getManageable(p, botId);
    const tokensRevoked = await this.tokens.revokeAllForBot(botId);
    await this.users.deleteBot(botId);
    await this.audit.recordFor(p, {
      action: 'bot.delete',
      outcome: 'success',
      target: { type: 'user', id: botId },
      meta,
      details: { tokensRevoked },
    });
  }

  /** Adds an active person to the bot's managers. 400 for a bot or disabled account, 404 for unknown email. */
  async addManager(p: Principal, botId: string, email: string, meta: RequestMeta): Promise<BotRecord> {
    const record = await this.getManageable(p, botId);
    const person = await this.users.findByEmail(email);
    if (!person) throw new NotFoundException('No user with this email');
    if (person.kind !== 'person' || person.status !== 'active') throw new BadRequestException('Only active people can manage a bot');
    if (record.managers.some((m) => m.id === person.id)) throw new ConflictException('Already a manager of this bot');
    await this.managers.insert({ botId, userId: person.id, addedAt: new Date() });
    await this.audit.recordFor(p, {
      action: 'bot.manager.add',
      outcome: 'success',
      target: { type: 'user', id: botId },
      meta,
      details: { managerId: person.id },
    });
    return this.getManageable(p, botId);
  }

  /** Removes a manager (a bot may end up unmanaged; admins then see it as such). */
  async removeManager(p: Principal, botId: string, managerId: string, meta: RequestMeta): Promise<void> {
    await this.getManageable(p, botId);
    const res = await this.managers.delete({ botId, userId: managerId });
    if ((res.affected ?? 0) === 0) throw new NotFoundException('Not a manager of this bot');
    await this.audit.recordFor(p, {
      action: 'bot.manager.remove',
      outcome: 'success',
      target: { type: 'user', id: botId },
      meta,
      details: { managerId },
    });
  }

  /** Mints a token for a bot `p` manages (scopes checked by BotTokensService). */
  async createToken(p: Principal, botId: string, input: Parameters<BotTokensService['create']>[2], meta: RequestMeta) {
    const record = await this.getManageable(p, botId);
    if (record.user.status !== 'active') throw new BadRequestException('The bot is disabled; enable it first');
    return this.tokens.create(p, record.user, input, meta);
  }

  /** Revokes one of the bot's tokens; 404 when it is not the bot's or already revoked. */
  async revokeToken(p: Principal, botId: string, tokenId: string, meta: RequestMeta): Promise<void> {
    await this.getManageable(p, botId);
    if (!(await this.tokens.revoke(botId, tokenId))) throw new NotFoundException('No such token');
    await this.audit.recordFor(p, {
      action: 'bot_token.revoke',
      outcome: 'success',
      target: { type: 'bot_token', id: tokenId },
      meta,
      details: { botId },
    });
  }

  /** The bot's live tokens (not revoked; expired ones included so they can be cleaned up). */
  tokensOf(record: BotRecord): Promise<BotToken[]> {
    return this.tokens.listForBot(record.user.id);
  }

  /** What the bot did (audit events with the bot as actor), newest first. */
  async activityOf(p: Principal, botId: string, limit: number, cursor?: string): Promise<AuditPage> {
    await this.getManageable(p, botId);
    return this.audit.search({ actorId: botId }, limit, cursor);
  }

  private mayManage(p: Principal, r: BotRecord): boolean {
    return p.scopes.has(ADMIN_SCOPE) || (p.actor.type === 'user' && r.managers.some((m) => m.id === p.actor.id));
  }

  private personOf(p: Principal): NonNullable<Principal['user']> {
    if (!p.user || p.actor.type !== 'user') throw new BadRequestException('Bots are created by people');
    return p.user;
  }

  /** Known roles, at least one, within what the person holds now; `admin` only from an admin. */
  private checkRoles(requested: readonly string[], by: Principal): Role[] {
    const roles = [...new Set(requested)];
    const unknown = roles.filter((r) => !isRole(r));
    if (unknown.length > 0) throw new BadRequestException(`Unknown role: ${unknown.join(', ')}`);
    if (roles.length === 0) throw new BadRequestException('Choose at least one role');
    if (by.scopes.has(ADMIN_SCOPE)) return roles as Role[];
    if (roles.includes('admin')) throw new BadRequestException('Only administrators can give a bot the admin role');
    const held = this.scopes.permissionsFor(by.user?.roles ?? []);
    const beyond = [...this.scopes.permissionsFor(roles)].filter((s) => !held.has(s));
    if (beyond.length > 0) throw new BadRequestException(`These roles hold more than you do (${beyond.join(' ')})`);
    return roles as Role[];
  }

  private async records(bots: Bot[]): Promise<BotRecord[]> {
    if (bots.length === 0) return [];
    const ids = bots.map((b) => b.userId);
    const links = await this.managers.find({ where: { botId: In(ids) } });
    const people = await this.users.findByIds([...new Set([...ids, ...links.map((l) => l.userId)])]);
    const byId = new Map(people.map((u) => [u.id, u]));
    return bots.flatMap((bot) => {
      const user = byId.get(bot.userId);
      if (!user) return [];
      const managers = links.filter((l) => l.botId === bot.userId).flatMap((l) => byId.get(l.userId) ?? []);
      return [{ bot, user, managers }];
    });
  }
}
