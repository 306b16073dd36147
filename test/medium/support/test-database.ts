import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntitySchema } from 'typeorm';
import { buildDataSourceOptions } from '../../../src/database/data-source-options';
import { sharedDatabaseConfig } from '../../support/shared-database';

export interface TestDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A real database with the migrations applied, for service-level tests: a fresh SQLite file,
 * or the shared MySQL/MariaDB or PostgreSQL when DATABASE_URL points at one (global-setup migrated it).
 * Only the given entities are loaded, so a test does not depend on unrelated modules.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function openTestDatabase(entities: (Function | EntitySchema)[]): Promise<TestDatabase> {
  const shared = sharedDatabaseConfig();
  const file = shared ? undefined : join(tmpdir(), `gatehouse-medium-${randomUUID()}.sqlite`);
  const db = shared ?? ({ type: 'sqlite', path: file! } as const);
  const dataSource = new DataSource({ ...buildDataSourceOptions(db, true), entities });
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      if (file) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    },
  };
}
