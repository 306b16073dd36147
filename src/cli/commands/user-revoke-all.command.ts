import { UserLifecycleService } from '../../users/user-lifecycle.service';
import { AuditService } from '../../audit/audit.service';
import type { CliCommand, CliContext } from '../cli-command';
import { existingUser, requiredEmail } from '../cli-flags';
import { auditOperatorAction } from '../operator-audit';

/** Incident response: ends every session, personal access token and OAuth grant of a user. */
export class UserRevokeAllCommand implements CliCommand {
  readonly name = 'user:revoke-all';
  readonly summary = 'Revoke every session, personal access token and OAuth grant of a user';
  readonly usage = '--email E';
  readonly options = { email: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail(ctx.flags);
    const user = await existingUser(ctx, email);
    const revoked = await ctx.get(UserLifecycleService).revokeAllCredentials(user.id);
    await auditOperatorAction(ctx.get(AuditService), 'user.revoke_all', { type: 'user', id: user.id }, { revoked });
    const summary = Object.entries(revoked)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    ctx.print(`Revoked every credential of ${user.email}: ${summary}`);
  }
}
