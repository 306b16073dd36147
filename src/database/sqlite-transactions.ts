import type { DataSource, EntityManager } from 'typeorm';

interface Queue {
  tail: Promise<unknown>;
  /** Jobs queued or running. */
  pending: number;
}

const queues = new WeakMap<DataSource, Queue>();

function enqueue<T>(queue: Queue, job: () => Promise<T> | T): Promise<T> {
  queue.pending++;
  const run = queue.tail.then(job).finally(() => queue.pending--);
  queue.tail = run.catch(() => undefined);
  return run;
}

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
  if (dataSource.options.type !== 'better-sqlite3' || queues.has(dataSource)) return;
  const queue: Queue = { tail: Promise.resolve(), pending: 0 };
  queues.set(dataSource, queue);
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = ((...args: unknown[]) => enqueue(queue, () => original(...args))) as EntityManager['transaction'];
}

/**
 * Runs a synchronous job (a native better-sqlite3 transaction) when no queued TypeORM transaction
 * is open on the shared connection: at once when the queue is idle, else after the queued ones.
 * The job itself has no await, so it can never interleave with another transaction.
 */
export function runExclusive<T>(dataSource: DataSource, job: () => T): Promise<T> {
  const queue = queues.get(dataSource);
  if (!queue || queue.pending === 0) {
    try {
      return Promise.resolve(job());
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return enqueue(queue, job);
}
