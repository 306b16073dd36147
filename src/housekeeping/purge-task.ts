import { Injectable } from '@nestjs/common';
import { ObjectLiteral, Repository } from 'typeorm';

/**
 * One kind of row that housekeeping deletes, registered by the module that owns the table
 * (no module writes another module's tables).
 */
export interface PurgeTask {
  /** A metric label and log name, e.g. `oauth_access_tokens`. */
  readonly name: string;
  /** Deletes at most `limit` rows that ended before `cutoff`; returns how many it deleted. */
  purgeBatch(cutoff: Date, limit: number): Promise<number>;
}

/** The purge tasks, in registration order (dependants before what they reference). */
@Injectable()
export class PurgeTaskRegistry {
  private readonly tasks: PurgeTask[] = [];

  register(task: PurgeTask): void {
    this.tasks.push(task);
  }

  all(): readonly PurgeTask[] {
    return this.tasks;
  }
}

/**
 * The usual task: rows of one repository where any of `endedColumns` (`expires_at`,
 * `revoked_at`, …) is before the cutoff, deleted by primary key. Each column is its own pass
 * over its own index (a batch fills up from the next column when the first runs out): an `OR`
 * across columns is a full scan without indexes and, with them, an index merge (sort_union) that
 * collects every matching id of both ranges before the LIMIT, for every batch (docs/scaling.md).
 */
export function repositoryPurgeTask<T extends ObjectLiteral>(
  name: string,
  repo: Repository<T>,
  endedColumns: readonly string[],
): PurgeTask {
  return {
    name,
    purgeBatch: async (cutoff, limit) => {
      let deleted = 0;
      for (const column of endedColumns) {
        if (deleted >= limit) break;
        deleted += await deleteEndedBatch(repo, column, cutoff, limit - deleted);
      }
      return deleted;
    },
  };
}

/**
 * One batch: select up to `limit` primary keys whose `column` is before `cutoff` (a range on that
 * column's index), then delete exactly those by primary key. A plain SELECT takes no locks
 * (InnoDB consistent read) and the DELETE touches only `limit` rows by key, so no batch holds
 * the table for long. Only for rows that ended before the cutoff: the delete does not empty the
 * credential cache.
 */
export async function deleteEndedBatch<T extends ObjectLiteral>(
  repo: Repository<T>,
  column: string,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const rows = await repo
    .createQueryBuilder('t')
    .select('t.id', 'id')
    .where(`t.${column} < :cutoff`, { cutoff })
    .limit(limit)
    .getRawMany<{ id: string }>();
  if (rows.length === 0) return 0;
  // Without subscribers: these credentials ended weeks ago, so no cache holds them, and the
  // credential cache (on every instance, through Redis) need not be emptied at every batch.
  await repo
    .createQueryBuilder()
    .delete()
    .whereInIds(rows.map((r) => r.id))
    .callListeners(false)
    .execute();
  return rows.length;
}
