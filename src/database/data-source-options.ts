import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from '../migrations/index';
import { installPostgresDialect } from './postgres-dialect';

/** Connections per instance when DB_POOL_SIZE is unset. */
export const DEFAULT_POOL_SIZE = 10;
/** PostgreSQL statement_timeout when DB_STATEMENT_TIMEOUT_MS is unset: no request statement runs this long. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The one place that turns DATABASE_URL into TypeORM options, shared by the app and
 * by ormconfig.ts (the TypeORM CLI). The schema comes only from migrations.
 */
export function buildDataSourceOptions(db: DatabaseConfig, migrationsRun = false): DataSourceOptions {
  const common: Pick<DataSourceOptions, 'entities' | 'migrations' | 'migrationsRun' | 'synchronize' | 'logging'> = {
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: MIGRATIONS,
    migrationsRun,
    synchronize: false,
    logging: false,
  };

  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      // WAL lets readers proceed while a writer commits; under WAL, synchronous=NORMAL syncs at
      // checkpoints instead of every commit (a power cut can lose the last commits, never corrupt);
      // busy_timeout waits for another process (the CLI) instead of failing; a larger page cache
      // and memory-mapped reads keep the token indexes in memory.
      prepareDatabase: (raw: { pragma(s: string): unknown }) => {
        raw.pragma('journal_mode = WAL');
        raw.pragma('synchronous = NORMAL');
        raw.pragma('busy_timeout = 5000');
        raw.pragma('cache_size = -65536');
        raw.pragma('mmap_size = 268435456');
        raw.pragma('temp_store = MEMORY');
      },
    };
  }
  if (db.type === 'postgres') {
    installPostgresDialect();
    const tls = db.tls;
    return {
      ...common,
      type: 'postgres',
      url: db.url,
      // UUIDs come from TypeORM (postgres-dialect.ts): no extension to install (which needs rights).
      installExtensions: false,
      ssl: tls
        ? {
            ca: tls.ca,
            rejectUnauthorized: tls.mode !== 'require',
            // verify-ca: the chain, not the host name (libpq's meaning).
            ...(tls.mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
          }
        : false,
      poolSize: db.poolSize ?? DEFAULT_POOL_SIZE,
      extra: {
        // Per connection (node-postgres sends it at connect); migrations turn it off for their run.
        statement_timeout: db.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
        application_name: 'gatehouse',
        // Fail readiness checks fast instead of hanging when the server is gone.
        connectionTimeoutMillis: 5000,
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: db.url,
    // Store and read every DATETIME as UTC, whatever the server's time zone.
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    // Fail readiness checks fast instead of hanging when the server is gone.
    connectTimeout: 5000,
    extra: { connectionLimit: db.poolSize ?? DEFAULT_POOL_SIZE },
  };
}
