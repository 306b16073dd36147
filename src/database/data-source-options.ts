import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

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
      // WAL lets readers proceed while a writer commits; busy_timeout waits instead of failing.
      prepareDatabase: (raw: { pragma(s: string): unknown }) => {
        raw.pragma('journal_mode = WAL');
        raw.pragma('busy_timeout = 5000');
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
    extra: { connectionLimit: 10 },
  };
}
