import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { sharedDatabaseConfig } from '../support/shared-database';
import { pendingSchemaChanges } from './support/schema-diff';

/** Every entity of the app, as the app's own options find them. */
const ENTITIES = [join(__dirname, '..', '..', 'src', '**', '*.entity.{ts,js}')];

/**
 * The schema comes only from migrations, and TypeORM reads and writes it through the entities.
 * When the two disagree (a column type or length, a nullable, an index or foreign key the entity
 * does not declare), TypeORM's own schema diff lists the SQL it would run to make the database
 * match the entities: after the migrations that list must be empty, on SQLite, on
 * MySQL/MariaDB and on PostgreSQL (where postgres-dialect.ts maps the portable types). A failure lists those statements; fix the entity (or add a migration), never
 * a landed migration.
 */
describe('schema drift: the entities match the migrated schema', () => {
  let ds: DataSource;
  let file: string | undefined;

  beforeAll(async () => {
    const shared = sharedDatabaseConfig();
    file = shared ? undefined : join(tmpdir(), `gatehouse-drift-${randomUUID()}.sqlite`);
    const options = buildDataSourceOptions(shared ?? { type: 'sqlite', path: file! }, true);
    ds = new DataSource({ ...options, entities: ENTITIES } as DataSourceOptions);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    if (file) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  });

  it('loads every entity', () => {
    expect(ds.entityMetadatas.map((m) => m.tableName)).toEqual(
      expect.arrayContaining(['users', 'devices', 'samples', 'clients', 'audit_events']),
    );
  });

  it('has nothing for TypeORM to change after the migrations', async () => {
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });
});
