import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config/app-config';

/** A start-up problem with the database that the operator fixes; its message is one plain line. */
export class DatabaseUnavailableError extends Error {}

/**
 * Before Nest starts: on MySQL/MariaDB (and PostgreSQL, below), connect without choosing a database and check that the
 * one in DATABASE_URL exists, so that a missing database (or a wrong host or password) is one
 * clear line instead of TypeORM's and Nest's stack traces. SQLite creates its file itself.
 */
export async function checkDatabaseReachable(db: DatabaseConfig): Promise<void> {
  if (db.type === 'postgres') return checkPostgresReachable(db);
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

/**
 * PostgreSQL: connect to the database itself (with the configured TLS); SQLSTATE 3D000 means it
 * does not exist, 28P01/28000 that the user or password is wrong.
 */
async function checkPostgresReachable(db: Extract<DatabaseConfig, { type: 'postgres' }>): Promise<void> {
  const url = new URL(db.url);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const where = `${url.hostname}:${url.port || '5432'}`;
  const tls = db.tls;
  const client = new Client({
    connectionString: db.url,
    connectionTimeoutMillis: 10_000,
    ssl: tls
      ? {
          ca: tls.ca,
          rejectUnauthorized: tls.mode !== 'require',
          ...(tls.mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
        }
      : false,
  });
  // A connection that fails after the handshake also emits 'error'; connect() rejects with it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '3D000') {
      throw new DatabaseUnavailableError(
        `The database "${name}" does not exist on ${where}. Create it (createdb ${name}, or CREATE DATABASE "${name}") or fix DATABASE_URL; Gatehouse then creates its tables.`,
      );
    }
    throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL at ${where} (DATABASE_URL): ${(err as Error).message}`);
  }
  await client.end();
}
