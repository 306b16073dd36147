import { ConflictException } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { isRole, Role, ROLES } from '../../auth/roles';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import type { CliCommand, CliContext, CliFlags } from '../cli-command';
import { CliError } from '../cli-error';
import { requiredEmail, requiredString } from '../cli-flags';
import { passwordFromFlags, printGeneratedPassword } from '../cli-password';
import { auditOperatorAction } from '../operator-audit';

export class UserCreateCommand implements CliCommand {
  readonly name = 'user:create';
  readonly summary = 'Create a user (prints a generated password once when --password is omitted)';
  readonly usage = `--email E --name N [--password P] [--role ${ROLES.join('|')}]... [--admin]`;
  readonly options = {
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string', multiple: true },
    admin: { type: 'boolean' },
  } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const email = requiredEmail(ctx.flags);
    const displayName = this.displayName(ctx.flags);
    const roles = this.roles(ctx.flags);
    const { password, generated } = passwordFromFlags(ctx.flags);

    let user;
    try {
      // A generated password is the operator's to hand over: the user replaces it at first sign-in.
      user = await ctx.get(UserLifecycleService).create({ email, displayName, password, roles, temporaryPassword: generated });
    } catch (err) {
      if (err instanceof ConflictException) throw new CliError(`A user with email ${email} already exists`);
      throw err;
    }
    await auditOperatorAction(ctx.get(AuditService), 'user.create', { type: 'user', id: user.id }, { email: user.email, roles });
    ctx.print(`Created user ${user.email} (id ${user.id}, roles: ${roles.join(', ')})`);
    if (generated) printGeneratedPassword(ctx.print, password);
  }

  private displayName(flags: CliFlags): string {
    const name = requiredString(flags, 'name').trim();
    if (name.length > 100) throw CliError.usage('--name must be at most 100 characters');
    return name;
  }

  /** `--admin` is shorthand for `--role admin`; with neither, the user gets the plain `user` role. */
  private roles(flags: CliFlags): Role[] {
    const given = (flags.role as string[] | undefined) ?? [];
    const unknown = given.filter((r) => !isRole(r));
    if (unknown.length > 0) throw CliError.usage(`Unknown role "${unknown[0]}": choose from ${ROLES.join(', ')}`);
    const roles = new Set(given as Role[]);
    if (flags.admin) roles.add('admin');
    if (roles.size === 0) roles.add('user');
    return [...roles];
  }
}
