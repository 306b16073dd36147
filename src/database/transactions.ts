import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseBusyError } from './database-busy.error';
import { runExclusive } from './sqlite-transactions';

/** Attempts of one transaction before it gives up with DatabaseBusyError (a 503, not a 500). */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * Errors after which the database rolled the whole transaction back, or would not wait longer for a
 * lock, so running it again from the start is safe and usually succeeds:
 * - MySQL/MariaDB: ER_LOCK_DEADLOCK (1213: InnoDB chose this transaction as the deadlock victim and
 *   rolled it back; MySQL's manual says to retry it) and ER_LOCK_WAIT_TIMEOUT (1205).
 * - PostgreSQL: 40001 serialization_failure, 40P01 deadlock_detected (the server rolled the
 *   transaction back; its manual says to retry), 55P03 lock_not_available (a lock_timeout).
 * - SQLite: SQLITE_BUSY, another process (the CLI) held the file past busy_timeout.
 */
const TRANSIENT_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', '40001', '40P01', '55P03']);

const logger = new Logger('Transactions');

/** True for a lock conflict that re-running the transaction resolves (TypeORM wraps the driver's error). */
export function isTransientLockError(err: unknown): boolean {
  return TRANSIENT_CODES.has(codeOf(err));
}

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return String(e?.driverError?.code ?? e?.code);
}

/**
 * Runs `work` in a transaction, the one way the app runs its short transactions. On a deadlock or a
 * lock wait timeout the whole transaction is run again, up to TRANSACTION_ATTEMPTS times in all,
 * after a short randomised pause that grows with each attempt (so the contenders do not collide
 * again in step); then it fails with DatabaseBusyError. `work` may therefore run more than once:
 * it must only use `tx` and compute everything it writes inside itself (a secret generated in an
 * attempt that rolled back is never returned). Other errors are not retried.
 */
export async function runTransaction<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (err) {
      if (!isTransientLockError(err)) throw err;
      if (attempt >= TRANSACTION_ATTEMPTS) throw new DatabaseBusyError(attempt, err);
      logger.warn(`Transaction attempt ${attempt} lost to lock contention (${codeOf(err)}); retrying`);
      await sleep(Math.round(Math.random() * 20 * 2 ** attempt));
    }
  }
}

interface NativeStatement {
  run(...params: unknown[]): unknown;
}
interface NativeDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): NativeStatement;
  transaction(fn: () => void): () => void;
}

/** Prepared statements by SQL text, per native connection (the shapes are few and fixed). */
const prepared = new WeakMap<NativeDatabase, Map<string, NativeStatement>>();

function statement(db: NativeDatabase, sql: string): NativeStatement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size > 200) cache.clear();
    cache.set(sql, (stmt = db.prepare(sql)));
  }
  return stmt;
}

/**
 * SQLite only: runs already-built statements (`[sql, parameters]`, e.g. from a query builder's
 * `getQueryAndParameters()`) as one synchronous better-sqlite3 transaction, with no await between
 * them for other requests to queue behind the in-process transaction queue. Waits for queued
 * TypeORM transactions (and for one TypeORM opened outside the queue) so it never becomes part of
 * another transaction. Statements are logged through TypeORM's logger. SQLITE_BUSY is retried as
 * in `runTransaction`.
 */
export async function runNativeSqliteTransaction(dataSource: DataSource, queries: readonly [string, unknown[]][]): Promise<void> {
  const db = (dataSource.driver as unknown as { databaseConnection: NativeDatabase }).databaseConnection;
  const write = (): void | Promise<void> => {
    if (db.inTransaction) return new Promise<void>((resolve) => setImmediate(resolve)).then(write);
    const log = dataSource.logger;
    db.transaction(() => {
      log.logQuery('BEGIN');
      for (const [sql, params] of queries) {
        log.logQuery(sql, params);
        statement(db, sql).run(...params);
      }
      log.logQuery('COMMIT');
    })();
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await runExclusive(dataSource, write);
    } catch (err) {
      if (!isTransientLockError(err)) throw err;
      if (attempt >= TRANSACTION_ATTEMPTS) throw new DatabaseBusyError(attempt, err);
      await sleep(Math.round(Math.random() * 20 * 2 ** attempt));
    }
  }
}
