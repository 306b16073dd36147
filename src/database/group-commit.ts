import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { runNativeSqliteTransaction, runTransaction } from './transactions';

/** One row of a WriteBatch: its entity and its values. */
export interface BatchRow {
  target: EntityTarget<ObjectLiteral>;
  values: QueryDeepPartialEntity<ObjectLiteral>;
}

/** Rows of one group past which it commits at once, without waiting for the window to end. */
export const GROUP_COMMIT_MAX_ROWS = 200;

interface Waiting {
  rows: readonly BatchRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Each data source's group committer (set by DatabaseModule; none: every batch commits alone). */
const committers = new WeakMap<DataSource, GroupCommit>();

/**
 * Writes `rows` in one transaction of their own (the `0` = off path, and the fallback of a group
 * that failed): multi-row INSERTs per table, every row or none.
 */
export async function commitRows(dataSource: DataSource, rows: readonly BatchRow[]): Promise<void> {
  const groups = byTable(rows);
  if (dataSource.options.type === 'better-sqlite3') {
    const queries = groups.map((g) =>
      dataSource.createQueryBuilder().insert().into(g.target).values(g.values).updateEntity(false).getQueryAndParameters(),
    );
    await runNativeSqliteTransaction(dataSource, queries);
    return;
  }
  await runTransaction(dataSource, async (m) => {
    for (const g of groups) await m.createQueryBuilder().insert().into(g.target).values(g.values).updateEntity(false).execute();
  });
}

/** Rows of the same entity, in order of first appearance: one multi-row INSERT each. */
function byTable(rows: readonly BatchRow[]): { target: EntityTarget<ObjectLiteral>; values: QueryDeepPartialEntity<ObjectLiteral>[] }[] {
  const groups = new Map<EntityTarget<ObjectLiteral>, QueryDeepPartialEntity<ObjectLiteral>[]>();
  for (const r of rows) {
    const list = groups.get(r.target);
    if (list) list.push(r.values);
    else groups.set(r.target, [r.values]);
  }
  return [...groups].map(([target, values]) => ({ target, values }));
}

/**
 * Group commit (issue 27): the WriteBatches of concurrent requests are written in one transaction
 * once the window (`DB_GROUP_COMMIT_MS`) ends or the group reaches GROUP_COMMIT_MAX_ROWS, with one
 * multi-row INSERT per table. Each request's `commit()` resolves only after the transaction that
 * holds its rows committed, so a token answered is a token committed; latency grows by at most
 * the window.
 *
 * A group that fails is not half-written (one transaction). Each of its batches is then written
 * again alone, in its own transaction, as with group commit off: a row that violates a constraint
 * fails only its own request, with the error it would have had alone, and a database that is down
 * fails every request of the group with its usual error (the 503 of DatabaseBusyError or
 * DatabaseUnavailable, else a 500).
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private rowCount = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly windowMs: number,
  ) {}

  /** Turns group commit on for `dataSource` (`windowMs` 0: off, each batch commits alone). */
  static configure(dataSource: DataSource, windowMs: number): void {
    if (windowMs > 0) committers.set(dataSource, new GroupCommit(dataSource, windowMs));
    else committers.delete(dataSource);
  }

  /** The committer of `dataSource`, if group commit is on. */
  static of(dataSource: DataSource): GroupCommit | undefined {
    return committers.get(dataSource);
  }

  /** Resolves when a transaction holding `rows` committed; rejects with the error of writing them alone. */
  submit(rows: readonly BatchRow[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.rowCount += rows.length;
      if (this.rowCount >= GROUP_COMMIT_MAX_ROWS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.waiting;
    this.waiting = [];
    this.rowCount = 0;
    if (group.length > 0) void this.write(group);
  }

  private async write(group: Waiting[]): Promise<void> {
    try {
      await commitRows(
        this.dataSource,
        group.flatMap((w) => w.rows),
      );
      for (const w of group) w.resolve();
      return;
    } catch (err) {
      if (group.length === 1) {
        group[0].reject(err);
        return;
      }
    }
    // The group rolled back: each batch alone, so one bad row fails only its own request.
    await Promise.all(
      group.map((w) =>
        commitRows(this.dataSource, w.rows).then(
          () => w.resolve(),
          (e: unknown) => w.reject(e),
        ),
      ),
    );
  }
}
