import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toAuditEventView } from '../audit/audit-event.mapper';
import type { Principal } from '../auth/principal';
import { ROLES } from '../auth/roles';
import { CsrfService } from '../sessions/csrf.service';
import { toBotTokenView } from './bot-tokens.service';
import { BotTokensService } from './bot-tokens.service';
import { BotsService, toBotView } from './bots.service';

/** Expiry choices offered on the page (filtered by the configured maximum). */
const EXPIRY_CHOICES = [7, 30, 90, 180, 366];

export interface BotPageState {
  error?: string;
}

/** Renders "Account → Bots" (the list and the create form) and one bot's page. */
@Injectable()
export class BotsPage {
  constructor(
    private readonly bots: BotsService,
    private readonly tokens: BotTokensService,
    private readonly csrf: CsrfService,
  ) {}

  async renderList(reply: FastifyReply, p: Principal, state: BotPageState = {}, status = 200): Promise<FastifyReply> {
    const bots = (await this.bots.listManagedBy(p.actor.id)).map(toBotView).map((b) => ({ ...b, active: b.status === 'active' }));
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('bots.hbs', {
        ...this.base(p, 'Bots'),
        bots,
        // The least-privileged role is the suggested one.
        roles: this.roleChoices(p).map((r) => ({ ...r, checked: r.name === 'viewer' })),
        error: state.error,
      });
  }

  async renderBot(reply: FastifyReply, p: Principal, botId: string, state: BotPageState = {}, status = 200): Promise<FastifyReply> {
    const record = await this.bots.getManageable(p, botId);
    const now = Date.now();
    const tokens = (await this.bots.tokensOf(record)).map((t) => toBotTokenView(t, now));
    const activity = (await this.bots.activityOf(p, botId, 20)).items.map(toAuditEventView);
    const view = toBotView(record);
    const bot = { ...view, managers: view.managers.map((m) => ({ ...m, disabled: m.status !== 'active' })) };
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('bot.hbs', {
        ...this.base(p, `Bot ${bot.name}`),
        bot,
        active: bot.status === 'active',
        tokens,
        activity,
        scopes: this.tokens.choosableScopes(bot.roles, p),
        roles: this.roleChoices(p).map((r) => ({ ...r, checked: bot.roles.includes(r.name) })),
        expiryOptions: this.expiryOptions(),
        error: state.error,
      });
  }

  private base(p: Principal, title: string): Record<string, unknown> {
    return { title, user: p.user, csrf: this.csrf.tokenFor(p.credential.id), isAdmin: p.scopes.has('admin') };
  }

  /** Roles offered: all for admins; for others every role but admin (the service checks the ceiling). */
  private roleChoices(p: Principal): { name: string; checked?: boolean }[] {
    return ROLES.filter((r) => r !== 'admin' || p.scopes.has('admin')).map((name) => ({ name }));
  }

  private expiryOptions(): { value: string; label: string; selected: boolean }[] {
    const { defaultExpiryDays, maxExpiryDays, allowNeverExpires } = this.tokens.expiryPolicy();
    const days = [...new Set([...EXPIRY_CHOICES, defaultExpiryDays])].filter((d) => d <= maxExpiryDays).sort((a, b) => a - b);
    const options = days.map((d) => ({ value: String(d), label: `${d} days`, selected: d === defaultExpiryDays }));
    if (allowNeverExpires) options.push({ value: 'never', label: 'Never expires', selected: false });
    return options;
  }
}
