import { createConnection } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { parseDatabaseUrl, type DatabaseConfig } from '../../src/config/app-config';

/**
 * The server database a test run shares (DATABASE_URL=mysql://… or postgres://…, migrated once by
 * test/global-setup.js), or undefined on SQLite runs, where each test file uses its own file.
 */
export function sharedDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && /^(mysql|postgres(ql)?):\/\//.test(url) ? url : undefined;
}

/** The shared server database's config (see sharedDatabaseUrl). */
export function sharedDatabaseConfig(): Exclude<DatabaseConfig, { type: 'sqlite' }> | undefined {
  const url = sharedDatabaseUrl();
  return url ? (parseDatabaseUrl(url) as Exclude<DatabaseConfig, { type: 'sqlite' }>) : undefined;
}

/** True on a PostgreSQL run. */
export function onPostgres(): boolean {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
}

/**
 * A throwaway database on the shared server (for state a whole database holds, such as "the last
 * admin", or a migration run from nothing), named `<prefix>_<random>`: its URL and `drop()`.
 */
export async function createScratchDatabase(sharedUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  const url = new URL(sharedUrl);
  url.pathname = `/${name}`;
  if (url.protocol.startsWith('postgres')) {
    const run = async (sql: string) => {
      const client = new Client({ connectionString: sharedUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await run(`CREATE DATABASE "${name}"`);
    return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  const admin = await createConnection({ uri: sharedUrl });
  await admin.query(`CREATE DATABASE \`${name}\``);
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/**
 * A raw statement written with `?` placeholders (MySQL, SQLite), run on any driver: PostgreSQL
 * numbers its placeholders (`$1`, `$2`, …). Tests only: the app goes through the query builder.
 */
// Rows of any shape, as DataSource.query returns.
export function rawQuery<T = any>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T> {
  let n = 0;
  const text = ds.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
  return ds.query(text, params) as Promise<T>;
}
