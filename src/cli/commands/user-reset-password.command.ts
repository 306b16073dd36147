import { AuditService } from '../../audit/audit.service';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import type { CliCommand, CliContext } from '../cli-command';
import { existingUser, requiredEmail } from '../cli-flags';
import { passwordFromFlags, printGeneratedPassword } from '../cli-password';
import { auditOperatorAction } from '../operator-audit';

/** Sets a new password and ends every session of the user: whoever knew the old one is signed out. */
export class UserResetPasswordCommand implements CliCommand {
  readonly name = 'user:reset-password';
  readonly summary = "Set a user's password (generated when --password is omitted) and end their sessions";
  readonly usage = '--email E [--password P]';
  readonly options = {
    email: { type: 'string' },
    password: { type: 'string' },
  } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail(ctx.flags);
    const { password, generated } = passwordFromFlags(ctx.flags);
    const user = await existingUser(ctx, email);

    // The same rule as the admin API and pages (a new password ends every session); a generated
    // password is the operator's to hand over, so the user replaces it at first sign-in.
    const { sessionsRevoked: ended } = await ctx.get(UserLifecycleService).resetPassword(user.id, password, { temporary: generated });
    await auditOperatorAction(ctx.get(AuditService), 'user.password_reset', { type: 'user', id: user.id }, { sessionsEnded: ended });
    ctx.print(`Password reset for ${user.email}; ended ${ended} session${ended === 1 ? '' : 's'}`);
    if (generated) printGeneratedPassword(ctx.print, password);
  }
}
