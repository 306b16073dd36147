import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { commitRows, GroupCommit, type BatchRow } from './group-commit';

/**
 * INSERTs into several tables that commit together, in the fewest round trips each driver
 * allows: on MySQL one transaction (BEGIN, the INSERTs, COMMIT: one commit), on SQLite one
 * native better-sqlite3 transaction run synchronously, with no await between its statements
 * for other requests to queue behind. Values go through TypeORM's query builder, so column
 * names, transformers and date formats are the entities' own; nothing is read back.
 *
 * Rows of one table are one multi-row INSERT. Modules add rows for their own tables (e.g. the token service its token, the audit service
 * its event) to a batch the caller commits.
 */
export class WriteBatch {
  private readonly rows: BatchRow[] = [];

  constructor(private readonly dataSource: DataSource) {}

  insert<T extends ObjectLiteral>(target: EntityTarget<T>, values: QueryDeepPartialEntity<T>): this {
    this.rows.push({ target: target as EntityTarget<ObjectLiteral>, values: values as QueryDeepPartialEntity<ObjectLiteral> });
    return this;
  }

  /**
   * Writes every row or none. With group commit on (`DB_GROUP_COMMIT_MS`), in the transaction of
   * the current group, resolving once it committed. Rejects with the driver's error when a row fails.
   */
  async commit(): Promise<void> {
    const group = GroupCommit.of(this.dataSource);
    if (group) return group.submit(this.rows);
    await commitRows(this.dataSource, this.rows);
  }
}
