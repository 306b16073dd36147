import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DataSource } from 'typeorm';
import { DatabaseBusyError } from '../../src/database/database-busy.error';
import { runTransaction, TRANSACTION_ATTEMPTS } from '../../src/database/transactions';

/** A DataSource whose transaction() fails with `failures` in turn, then runs the work. */
function dataSourceFailing(failures: unknown[]) {
  const calls = { n: 0 };
  const ds = {
    transaction: async (work: (tx: unknown) => Promise<unknown>) => {
      const failure = failures[calls.n++];
      if (failure !== undefined) throw failure;
      return work({});
    },
  } as unknown as DataSource;
  return { ds, calls };
}

// TypeORM's QueryFailedError copies the driver's code onto itself and keeps it as driverError.
const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
const lockWait = { name: 'QueryFailedError', driverError: { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 } };

describe('runTransaction', () => {
  it('runs a deadlocked or lock-timed-out transaction again from the start', async () => {
    const { ds, calls } = dataSourceFailing([deadlock, lockWait]);
    await expect(runTransaction(ds, async () => 'done')).resolves.toBe('done');
    expect(calls.n).toBe(3);
  });

  it('gives up after a bounded number of attempts with a 503 + Retry-After, never a 500', async () => {
    const { ds, calls } = dataSourceFailing(Array(TRANSACTION_ATTEMPTS + 5).fill(deadlock));
    const err = await runTransaction(ds, async () => 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseBusyError);
    expect(calls.n).toBe(TRANSACTION_ATTEMPTS);
    const rendered = (err as DatabaseBusyError).render('rid');
    expect(rendered.status).toBe(503);
    expect(rendered.headers?.['retry-after']).toBe('1');
  });

  it('PostgreSQL: retries serialization failures (40001), deadlocks (40P01) and lock timeouts (55P03), not unique violations (23505)', async () => {
    const pg = (code: string) => ({ name: 'QueryFailedError', driverError: { code } });
    const { ds, calls } = dataSourceFailing([pg('40001'), pg('40P01'), pg('55P03')]);
    await expect(runTransaction(ds, async () => 'done')).resolves.toBe('done');
    expect(calls.n).toBe(4);
    const dup = dataSourceFailing([pg('23505')]);
    await expect(runTransaction(dup.ds, async () => 'x')).rejects.toEqual(pg('23505'));
    expect(dup.calls.n).toBe(1);
  });

  it('does not retry other errors', async () => {
    const { ds, calls } = dataSourceFailing([Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' })]);
    await expect(runTransaction(ds, async () => 'x')).rejects.toThrow('dup');
    expect(calls.n).toBe(1);
  });

  it('is the only way the app opens a transaction (every short transaction gets the retry)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.includes('/migrations/') && !p.endsWith('/database/transactions.ts')) {
          const code = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
          if (/\.transaction\(|startTransaction\(/.test(code)) offenders.push(relative(join(__dirname, '../..'), p));
        }
      }
    };
    walk(join(__dirname, '../../src'));
    expect(offenders).toEqual([]);
  });
});
