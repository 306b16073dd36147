import { AccountPasswordService } from '../../account/account-password.service';
import { AuditService } from '../../audit/audit.service';
import type { CliCommand, CliContext } from '../cli-command';
import { existingUser, requiredEmail } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/** Prints a one-time password-reset link for the user to open (for deployments without SMTP). */
export class UserResetLinkCommand implements CliCommand {
  readonly name = 'user:reset-link';
  readonly summary = 'Print a one-time password-reset link for a user (30 minutes, single use)';
  readonly usage = '--email E';
  readonly options = { email: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const user = await existingUser(ctx, requiredEmail(ctx.flags));
    const link = await ctx.get(AccountPasswordService).issueLink(user.id, null);
    await auditOperatorAction(
      ctx.get(AuditService),
      'user.password_reset_link',
      { type: 'user', id: user.id },
      { expiresAt: link.expiresAt.toISOString() },
    );
    ctx.print(`Password-reset link for ${user.email} (works once, until ${link.expiresAt.toISOString()}; hand it over securely):`);
    ctx.print(link.url);
  }
}
