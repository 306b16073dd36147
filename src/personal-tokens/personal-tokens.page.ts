import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CsrfService } from '../sessions/csrf.service';
import { PersonalTokensService, toPersonalTokenView } from './personal-tokens.service';

/** Expiry choices offered on the page (filtered by the configured maximum). */
const EXPIRY_CHOICES = [7, 30, 90, 180, 366];

export interface PersonalTokensPageState {
  error?: string;
  form?: { name?: string; scopes?: string[]; expiresInDays?: string };
}

/** Renders "Account settings → API keys". */
@Injectable()
export class PersonalTokensPage {
  constructor(
    private readonly tokens: PersonalTokensService,
    private readonly csrf: CsrfService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async render(reply: FastifyReply, p: Principal, state: PersonalTokensPageState = {}, status = 200): Promise<FastifyReply> {
    const user = p.user;
    if (!user) throw new Error('The API keys page needs a signed-in user');
    const now = Date.now();
    const tokens = (await this.tokens.listForOwner(user.id)).map((t) => toPersonalTokenView(t, now));
    const chosen = new Set(state.form?.scopes ?? []);
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('personal-tokens.hbs', {
        title: 'API keys',
        user,
        csrf: this.csrf.tokenFor(p.credential.id),
        tokens,
        scopes: this.tokens.choosableScopes(user.roles).map((s) => ({ ...s, checked: chosen.has(s.name) })),
        expiryOptions: this.expiryOptions(state.form?.expiresInDays),
        name: state.form?.name ?? '',
        error: state.error,
      });
  }

  private expiryOptions(chosen: string | undefined): { value: string; label: string; selected: boolean }[] {
    const { defaultExpiryDays, maxExpiryDays, allowNeverExpires } = this.config.personalTokens;
    const selected = chosen ?? String(defaultExpiryDays);
    const days = [...new Set([...EXPIRY_CHOICES, defaultExpiryDays])].filter((d) => d <= maxExpiryDays).sort((a, b) => a - b);
    const options = days.map((d) => ({ value: String(d), label: `${d} days`, selected: String(d) === selected }));
    if (allowNeverExpires) options.push({ value: 'never', label: 'Never expires', selected: selected === 'never' });
    return options;
  }
}
