import { Injectable } from '@nestjs/common';
import { Brackets, ObjectLiteral, Repository, WhereExpressionBuilder } from 'typeorm';

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

/** Rows where any of these time columns is before the cutoff (`expires_at`, `revoked_at`, …). */
export function endedBefore(...columns: string[]): (qb: WhereExpressionBuilder, cutoff: Date) => void {
  return (qb, cutoff) => columns.forEach((c, i) => (i === 0 ? qb.where(`t.${c} < :cutoff`, { cutoff }) : qb.orWhere(`t.${c} < :cutoff`, { cutoff })));
}

/** The usual task: rows of one repository that `ended` before the cutoff, deleted by primary key. */
export function repositoryPurgeTask<T extends ObjectLiteral>(
  name: string,
  repo: Repository<T>,
  ended: (qb: WhereExpressionBuilder, cutoff: Date) => void,
): PurgeTask {
  return { name, purgeBatch: (cutoff, limit) => deleteEndedBatch(repo, ended, cutoff, limit) };
}

/**
 * The batch shape every task uses: select up to `limit` primary keys matching `ended(cutoff)`,
 * then delete exactly those by primary key. A plain SELECT takes no locks (InnoDB consistent
 * read) and the DELETE touches only `limit` rows by key, so no batch holds the table for long.
 */
export async function deleteEndedBatch<T extends ObjectLiteral>(
  repo: Repository<T>,
  ended: (qb: WhereExpressionBuilder, cutoff: Date) => void,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const rows = await repo
    .createQueryBuilder('t')
    .select('t.id', 'id')
    .where(new Brackets((qb) => ended(qb, cutoff)))
    .limit(limit)
    .getRawMany<{ id: string }>();
  if (rows.length === 0) return 0;
  await repo.delete(rows.map((r) => r.id) as never);
  return rows.length;
}
