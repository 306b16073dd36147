import { SsoLifecycleService } from '../../sso-connections/sso-lifecycle.service';
import type { CliCommand, CliContext } from '../cli-command';

/** Lists single sign-on connections (never a secret). */
export class SsoListCommand implements CliCommand {
  readonly name = 'sso:list';
  readonly summary = 'List single sign-on connections';
  readonly usage = '';
  readonly options = {} as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const list = await ctx.get(SsoLifecycleService).list();
    if (list.length === 0) return ctx.print('No connections');
    for (const c of list) {
      const domains = [...c.allowedDomains, ...c.requiredDomains.map((d) => `${d} (required)`)].join(', ') || 'any domain';
      ctx.print(`${c.slug}\t${c.enabled ? 'enabled' : 'disabled'}\t${c.name}\t${c.issuer}\t${domains}`);
    }
  }
}
