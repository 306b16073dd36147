import { isRole, ROLES } from '../../auth/roles';
import { plural } from '../../common/plural';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import type { CliCommand, CliContext } from '../cli-command';
import { CliError } from '../cli-error';
import { optionalString } from '../cli-flags';

const PAGE = 200;

/** Lists users, newest first: email, status, roles, name (tab-separated, for grep and cut). */
export class UserListCommand implements CliCommand {
  readonly name = 'user:list';
  readonly summary = 'List users (newest first), optionally matching text, a status or a role';
  readonly usage = `[--search TEXT] [--status active|disabled] [--role ${ROLES.join('|')}]`;
  readonly options = { search: { type: 'string' }, status: { type: 'string' }, role: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const status = optionalString(ctx.flags, 'status');
    if (status !== undefined && status !== 'active' && status !== 'disabled') throw CliError.usage('--status must be active or disabled');
    const role = optionalString(ctx.flags, 'role');
    if (role !== undefined && !isRole(role)) throw CliError.usage(`--role must be one of ${ROLES.join(', ')}`);
    const lifecycle = ctx.get(UserLifecycleService);
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await lifecycle.search({ q: optionalString(ctx.flags, 'search'), status, role }, PAGE, cursor);
      for (const u of page.items) ctx.print([u.email, u.status, u.roles.join(',') || '-', u.displayName].join('\t'));
      count += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    ctx.print(`${plural(count, 'user')}`);
  }
}
