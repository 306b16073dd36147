import { AuditService } from '../../audit/audit.service';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { existingUser, requiredEmail } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/** Enables a disabled user, as the admin API does: they can sign in again and their tokens work again. */
export class UserEnableCommand implements CliCommand {
  readonly name = 'user:enable';
  readonly summary = 'Enable a disabled user: they can sign in again, and their unrevoked tokens work again';
  readonly usage = '--email E';
  readonly options = { email: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const user = await existingUser(ctx, requiredEmail(ctx.flags));
    if (user.status === 'active') throw new CliError(`${user.email} is already active`);
    await ctx.get(UserLifecycleService).enable(user.id);
    await auditOperatorAction(ctx.get(AuditService), 'user.enable', { type: 'user', id: user.id }, {});
    ctx.print(`Enabled ${user.email}`);
  }
}
