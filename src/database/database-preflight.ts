import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../config/app-config';

/** A start-up problem with the database that the operator fixes; its message is one plain line. */
export class DatabaseUnavailableError extends Error {}

/**
 * Before Nest starts: on MySQL/MariaDB, connect without choosing a database and check that the
 * one in DATABASE_URL exists, so that a missing database (or a wrong host or password) is one
 * clear line instead of TypeORM's and Nest's stack traces. SQLite creates its file itself.
 */
export async function checkDatabaseReachable(db: DatabaseConfig): Promise<void> {
  if (db.type !== 'mysql') return;
  const url = new URL(db.url);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const where = `${url.hostname}:${url.port || '3306'}`;
  const server = new URL(db.url);
  server.pathname = '/';
  let conn;
  try {
    conn = await createConnection({ uri: server.toString(), connectTimeout: 10_000 });
  } catch (err) {
    throw new DatabaseUnavailableError(`Cannot connect to MySQL at ${where} (DATABASE_URL): ${(err as Error).message}`);
  }
  try {
    const [rows] = await conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    if ((rows as unknown[]).length === 0) {
      throw new DatabaseUnavailableError(
        `The database "${name}" does not exist on ${where}. Create it (CREATE DATABASE \`${name}\`) or fix DATABASE_URL; Gatehouse then creates its tables.`,
      );
    }
  } finally {
    await conn.end();
  }
}
