import { LastAdminError } from '../../users/last-admin.error';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import { AuditService } from '../../audit/audit.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { existingUser, requiredEmail } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/**
 * Disables a user the way the admin API does: sessions end, tokens and grants stop (every
 * strategy checks the status), and the last active admin is refused.
 */
export class UserDisableCommand implements CliCommand {
  readonly name = 'user:disable';
  readonly summary = 'Disable a user: their sessions end and their tokens and grants stop at once';
  readonly usage = '--email E';
  readonly options = { email: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail(ctx.flags);
    const user = await existingUser(ctx, email);
    if (user.status === 'disabled') throw new CliError(`${user.email} is already disabled`);
    try {
      const { sessionsRevoked } = await ctx.get(UserLifecycleService).disable(user.id);
      await auditOperatorAction(ctx.get(AuditService), 'user.disable', { type: 'user', id: user.id }, { sessionsRevoked });
      ctx.print(`Disabled ${user.email}; ended ${sessionsRevoked} session${sessionsRevoked === 1 ? '' : 's'}`);
    } catch (err) {
      if (err instanceof LastAdminError) throw new CliError(err.message);
      throw err;
    }
  }
}
