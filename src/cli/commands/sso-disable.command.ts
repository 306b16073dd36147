import { AuditService } from '../../audit/audit.service';
import { SsoConnectionsService } from '../../sso-connections/sso-connections.service';
import { SsoLifecycleService } from '../../sso-connections/sso-lifecycle.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { requiredString } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/** Disables a connection at once; `--end-sessions` also signs out every user linked through it. */
export class SsoDisableCommand implements CliCommand {
  readonly name = 'sso:disable';
  readonly summary = 'Disable a single sign-on connection (new sign-ins refused at once; --end-sessions signs its users out)';
  readonly usage = '--slug S [--end-sessions]';
  readonly options = { slug: { type: 'string' }, 'end-sessions': { type: 'boolean' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const slug = requiredString(ctx.flags, 'slug');
    const c = await ctx.get(SsoConnectionsService).findBySlug(slug);
    if (!c) throw new CliError(`No connection ${slug}`);
    const endSessions = Boolean(ctx.flags['end-sessions']);
    const { usersSignedOut } = await ctx.get(SsoLifecycleService).disable(c.id, endSessions);
    await auditOperatorAction(
      ctx.get(AuditService),
      'admin.sso.disable',
      { type: 'sso_connection', id: c.id },
      { endSessions, usersSignedOut },
    );
    ctx.print(`Disabled ${slug}${endSessions ? `; signed out ${usersSignedOut} user${usersSignedOut === 1 ? '' : 's'}` : ''}`);
  }
}
