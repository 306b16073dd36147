import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite driver runs every query on one connection, so two overlapping transactions
 * fail with "cannot start a transaction within a transaction" (a 500 under concurrent writes).
 * On SQLite, `dataSource.transaction()` is therefore queued: one transaction at a time in this
 * process, which is the only writer of its database file. MySQL keeps real concurrent transactions.
 *
 * A transaction must not start another through the DataSource (it would wait for itself); use the
 * EntityManager it is given.
 */
export function serializeSqliteTransactions(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => original(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
}
