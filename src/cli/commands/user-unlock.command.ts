import { AuditService } from '../../audit/audit.service';
import type { CliCommand, CliContext } from '../cli-command';
import { LoginThrottle } from '../../sign-in/login-throttle.service';
import { CliError } from '../cli-error';
import { existingUser, requiredEmail } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/**
 * Clears a user's failed sign-in counters, like the admin API's unlock, in the store the servers
 * share (REDIS_URL). Without REDIS_URL the counters live inside the server process, out of this
 * command's reach: it says so and fails (use the admin page or API, or restart the server).
 */
export class UserUnlockCommand implements CliCommand {
  readonly name = 'user:unlock';
  readonly summary = 'Clear a user’s failed sign-ins (lockout and delays) in the shared counter store (REDIS_URL)';
  readonly usage = '--email E';
  readonly options = { email: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail(ctx.flags);
    if (!ctx.get(LoginThrottle).sharedAcrossProcesses) {
      throw new CliError(
        'Without REDIS_URL the sign-in counters live inside the server process: clear them on the admin page ' +
          '(/admin/ui/users/<id>, "Clear failed sign-ins"), with POST /admin/users/<id>/unlock, or by restarting the server',
      );
    }
    const user = await existingUser(ctx, email);
    const countersCleared = await ctx.get(LoginThrottle).clearAccount(user.email);
    await auditOperatorAction(ctx.get(AuditService), 'user.unlock', { type: 'user', id: user.id }, { countersCleared });
    ctx.print(`Cleared ${countersCleared} failed sign-in counter${countersCleared === 1 ? '' : 's'} of ${user.email}`);
  }
}
