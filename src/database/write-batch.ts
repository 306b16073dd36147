import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { runExclusive } from './sqlite-transactions';
import { runTransaction } from './transactions';

interface NativeStatement {
  run(...params: unknown[]): unknown;
}
interface NativeDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): NativeStatement;
  transaction(fn: () => void): () => void;
}

/** Prepared INSERTs by SQL text, per native connection (the shapes are few and fixed). */
const statements = new WeakMap<NativeDatabase, Map<string, NativeStatement>>();

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
      const db = (this.dataSource.driver as unknown as { databaseConnection: NativeDatabase }).databaseConnection;
      const write = (): void | Promise<void> => {
        // A transaction TypeORM opened outside the queue (repository.save) is still awaiting its
        // next statement: ours must not become part of it. Wait a tick and try again.
        if (db.inTransaction) return new Promise<void>((resolve) => setImmediate(resolve)).then(write);
        const logger = this.dataSource.logger;
        db.transaction(() => {
          logger.logQuery('BEGIN');
          for (const [sql, params] of queries) {
            logger.logQuery(sql, params);
            prepared(db, sql).run(...params);
          }
          logger.logQuery('COMMIT');
        })();
      };
      await runExclusive(this.dataSource, write);
      return;
    }
    await runTransaction(this.dataSource, async (m) => {
      for (const r of this.rows) await m.createQueryBuilder().insert().into(r.target).values(r.values).updateEntity(false).execute();
    });
  }
}

function prepared(db: NativeDatabase, sql: string): NativeStatement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size > 200) cache.clear();
    cache.set(sql, (stmt = db.prepare(sql)));
  }
  return stmt;
}
