import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';

/** The advisory lock every instance takes before migrating (names are server-wide: one per database; PostgreSQL hashes it). */
export function migrationLockName(database: string): string {
  return `gatehouse_migrations:${database}`.slice(0, 64);
}

const LOCK_WAIT_SECONDS = 120;
/** SQLite: attempts while another process on the same file migrates (waits 0.25 s, 0.5 s, … between). */
const SQLITE_ATTEMPTS = 8;

/**
 * Applies pending migrations exactly once when N instances start together. On MySQL/MariaDB the
 * instance first takes `GET_LOCK` (a named advisory lock held by one connection): the others
 * wait for it, then find nothing pending. PostgreSQL: the same with `pg_try_advisory_lock` (a
 * session-level advisory lock keyed by the database's name), below. SQLite: all pending migrations run in one
 * transaction; a second process on the same file that starts together (two servers, or the CLI)
 * fails its own attempt (the file is locked, or the tables the winner just committed exist) and
 * retries after the winner commits, then finds nothing pending.
 * Throws when the lock cannot be had within LOCK_WAIT_SECONDS (another instance is stuck).
 */
export async function runMigrationsOnce(dataSource: DataSource): Promise<void> {
  const logger = new Logger('Migrations');
  if (dataSource.options.type === 'postgres') return runPostgresMigrationsOnce(dataSource, logger);
  if (dataSource.options.type !== 'mysql') {
    for (let attempt = 1; ; attempt++) {
      try {
        await dataSource.runMigrations({ transaction: 'all' });
        return;
      } catch (err) {
        if (attempt >= SQLITE_ATTEMPTS || !/SQLITE_BUSY|database is locked|already exists/i.test(String(err))) throw err;
        logger.warn(`Another process is migrating the same SQLite file; retrying (${attempt}/${SQLITE_ATTEMPTS - 1})`);
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  }
  // GET_LOCK belongs to a connection: hold one for the whole run.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ name }] = (await runner.query('SELECT DATABASE() AS name')) as { name: string }[];
    const lock = migrationLockName(name);
    const [{ got }] = (await runner.query('SELECT GET_LOCK(?, ?) AS got', [lock, LOCK_WAIT_SECONDS])) as { got: number | string | null }[];
    if (Number(got) !== 1) throw new Error(`Could not take the migration lock ${lock} within ${LOCK_WAIT_SECONDS} s`);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * PostgreSQL: the lock and the migrations share one connection (an advisory lock belongs to its
 * session), each migration in its own transaction; statement_timeout is off for that session so
 * an index build on a large table is not cancelled.
 */
async function runPostgresMigrationsOnce(dataSource: DataSource, logger: Logger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ name }] = (await runner.query('SELECT current_database() AS name')) as { name: string }[];
    const lock = migrationLockName(name);
    await takePostgresLock(runner, lock);
    try {
      await runner.query('SET statement_timeout = 0');
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      if (applied.length > 0) logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      await runner.query('RESET statement_timeout');
    }
  } finally {
    await runner.release();
  }
}

async function takePostgresLock(runner: QueryRunner, lock: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_SECONDS * 1000;
  for (;;) {
    const [{ got }] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [lock])) as { got: boolean }[];
    if (got) return;
    if (Date.now() > deadline) throw new Error(`Could not take the migration lock ${lock} within ${LOCK_WAIT_SECONDS} s`);
    await sleep(200);
  }
}
