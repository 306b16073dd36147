import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseBusyError } from './database-busy.error';

/** Attempts of one transaction before it gives up with DatabaseBusyError (a 503, not a 500). */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * Errors after which the database rolled the whole transaction back, or would not wait longer for a
 * lock, so running it again from the start is safe and usually succeeds:
 * - MySQL/MariaDB: ER_LOCK_DEADLOCK (1213: InnoDB chose this transaction as the deadlock victim and
 *   rolled it back; MySQL's manual says to retry it) and ER_LOCK_WAIT_TIMEOUT (1205).
 * - SQLite: SQLITE_BUSY, another process (the CLI) held the file past busy_timeout.
 */
const TRANSIENT_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

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
