import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { runNativeSqliteTransaction, runTransaction } from './transactions';

/**
 * INSERTs into several tables that commit together, in the fewest round trips each driver
 * allows: on MySQL one transaction (BEGIN, the INSERTs, COMMIT: one commit), on SQLite one
 * native better-sqlite3 transaction run synchronously, with no await between its statements
 * for other requests to queue behind. Values go through TypeORM's query builder, so column
 * names, transformers and date formats are the entities' own; nothing is read back.
 *
 * Modules add rows for their own tables (e.g. the token service its token, the audit service
 * its event) to a batch the caller commits.
 */
export class WriteBatch {
  private readonly rows: { target: EntityTarget<ObjectLiteral>; values: QueryDeepPartialEntity<ObjectLiteral> }[] = [];

  constructor(private readonly dataSource: DataSource) {}

  insert<T extends ObjectLiteral>(target: EntityTarget<T>, values: QueryDeepPartialEntity<T>): this {
    this.rows.push({ target: target as EntityTarget<ObjectLiteral>, values: values as QueryDeepPartialEntity<ObjectLiteral> });
    return this;
  }

  /** Writes every row or none. Rejects with the driver's error when one fails. */
  async commit(): Promise<void> {
    if (this.dataSource.options.type === 'better-sqlite3') {
      const queries = this.rows.map((r) =>
        this.dataSource.createQueryBuilder().insert().into(r.target).values(r.values).updateEntity(false).getQueryAndParameters(),
      );
      await runNativeSqliteTransaction(this.dataSource, queries);
      return;
    }
    await runTransaction(this.dataSource, async (m) => {
      for (const r of this.rows) await m.createQueryBuilder().insert().into(r.target).values(r.values).updateEntity(false).execute();
    });
  }
}
