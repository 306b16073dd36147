import { ClientsService } from '../../clients/clients.service';
import { plural } from '../../common/plural';
import { UsersService } from '../../users/users.service';
import type { CliCommand, CliContext } from '../cli-command';
import { existingUser, optionalString } from '../cli-flags';

const PAGE = 200;

/** Lists OAuth clients, newest first: client_id, type, status, owner, name (tab-separated). */
export class ClientListCommand implements CliCommand {
  readonly name = 'client:list';
  readonly summary = 'List OAuth clients (newest first), optionally those of one owner';
  readonly usage = '[--owner EMAIL]';
  readonly options = { owner: { type: 'string' } } as const;
  readonly needsApp = true;

  async run(ctx: CliContext): Promise<void> {
    const clients = ctx.get(ClientsService);
    const ownerEmail = optionalString(ctx.flags, 'owner');
    const ownerId = ownerEmail ? (await existingUser(ctx, ownerEmail)).id : undefined;
    const rows = [];
    for (let cursor: string | undefined; ;) {
      const page = await clients.listPage({ limit: PAGE, cursor }, ownerId);
      rows.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const owners = new Map((await ctx.get(UsersService).findByIds([...new Set(rows.map((c) => c.ownerId))])).map((u) => [u.id, u.email]));
    for (const c of rows) ctx.print([c.clientId, c.type, c.status, owners.get(c.ownerId) ?? c.ownerId, c.name].join('\t'));
    ctx.print(plural(rows.length, 'client'));
  }
}
