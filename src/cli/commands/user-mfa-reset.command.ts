import { AuditService } from '../../audit/audit.service';
import { MfaEnrolment } from '../../mfa/mfa-enrolment.service';
import type { CliCommand, CliContext } from '../cli-command';
import { existingUser, requiredEmail } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/**
 * For a user (or an operator) locked out of the UI: removes every second factor of the user, ends
 * their sessions and what is in flight (credential epoch), mails them; like the admin page's
 * "Reset second factors" (docs/mfa.md). Their personal access tokens stay.
 */
export class UserMfaResetCommand implements CliCommand {
  readonly name = 'user:mfa:reset';
  readonly summary = 'Remove every second factor of a user (authenticator app, passkeys, recovery codes) and sign them out';
  readonly usage = '--email E';
  readonly options = { email: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail(ctx.flags);
    const user = await existingUser(ctx, email);
    const result = await ctx.get(MfaEnrolment).resetAll(user.id);
    await auditOperatorAction(ctx.get(AuditService), 'user.mfa_reset', { type: 'user', id: user.id }, MfaEnrolment.auditDetails(result));
    // Only the kinds the user had: every registered kind reports a count, most of them 0.
    const removed =
      Object.entries(result.removed)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ') || 'no factor';
    ctx.print(`Reset the second factors of ${user.email}: removed ${removed}; ended ${result.sessionsEnded} session(s)`);
  }
}
