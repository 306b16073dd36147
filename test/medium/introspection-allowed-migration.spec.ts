import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Client } from '../../src/clients/client.entity';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { runMigrationsOnce } from '../../src/database/migrate-once';
import { MIGRATIONS } from '../../src/migrations';
import { IntrospectionAllowedBoolean1764001100000 } from '../../src/migrations/1764001100000-introspection-allowed-boolean';
import { User } from '../../src/users/user.entity';
import { parseDatabaseUrl } from '../../src/config/app-config';
import { createScratchDatabase, onPostgres, sharedDatabaseUrl } from '../support/shared-database';

const UPTO = MIGRATIONS.indexOf(IntrospectionAllowedBoolean1764001100000);
const AT = '2026-01-01 00:00:00.000';

/**
 * `clients.introspection_allowed` goes from integer to the shared boolean style on a database
 * that already holds clients: the values are kept, and on SQLite (where the table is rebuilt)
 * the rows referencing `clients` survive. A database of its own (a fresh SQLite file, or a
 * throwaway MySQL or PostgreSQL database), since it starts before this migration.
 */
describe('migration IntrospectionAllowedBoolean1764001100000', () => {
  const shared = sharedDatabaseUrl();
  const pg = onPostgres();
  const file = join(tmpdir(), `gatehouse-migration-${randomUUID()}.sqlite`);
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let ds: DataSource | undefined;
  /** Placeholders: `?` on MySQL and SQLite, `$1…` on PostgreSQL. */
  const sql = (strings: TemplateStringsArray): string => {
    let n = 0;
    return pg ? strings.join('').replace(/\?/g, () => `$${++n}`) : strings.join('');
  };

  const open = async (migrations: typeof MIGRATIONS): Promise<DataSource> => {
    await ds?.destroy();
    const options = buildDataSourceOptions(scratch ? parseDatabaseUrl(scratch.url) : { type: 'sqlite', path: file });
    ds = await new DataSource({ ...options, migrations, entities: [Client, User] }).initialize();
    return ds;
  };
  const flags = async (d: DataSource) =>
    (
      (await d.query('SELECT client_id AS id, introspection_allowed AS v FROM clients ORDER BY client_id')) as { id: string; v: unknown }[]
    ).map((r) => [r.id, Number(r.v)]);

  /** The column's declared type, as the database reports it. */
  const columnType = async (d: DataSource): Promise<string> => {
    const rows = (
      pg
        ? await d.query(
            `SELECT data_type AS type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'clients' AND column_name = 'introspection_allowed'`,
          )
        : shared
          ? await d.query(
              `SELECT COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'clients' AND COLUMN_NAME = 'introspection_allowed'`,
            )
          : await d.query(`SELECT type FROM pragma_table_info('clients') WHERE name = 'introspection_allowed'`)
    ) as { type: string }[];
    return rows[0].type.toLowerCase();
  };

  beforeAll(async () => {
    if (shared) scratch = await createScratchDatabase(shared, 'gatehouse_mig');
  });
  afterAll(async () => {
    await ds?.destroy();
    if (scratch) await scratch.drop();
    else for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  });

  it('keeps every client, its flag and the rows referencing it; down restores the integer column', async () => {
    const before = await open(MIGRATIONS.slice(0, UPTO));
    await runMigrationsOnce(before);
    const owner = randomUUID();
    await before.query(
      sql`INSERT INTO users (id, email, display_name, password_hash, status, roles, created_at, updated_at) VALUES (?, 'm@example.test', 'M', 'x', 'active', 'user', ?, ?)`,
      [owner, AT, AT],
    );
    for (const [id, allowed] of [
      ['rs', 1],
      ['web', 0],
    ] as const) {
      await before.query(
        sql`INSERT INTO clients (client_id, name, client_type, redirect_uris, grant_types, allowed_scopes, owner_id, status, introspection_allowed, created_at, updated_at)
         VALUES (?, ?, 'confidential', '[]', 'client_credentials', '', ?, 'active', ?, ?, ?)`,
        [id, id, owner, allowed, AT, AT],
      );
      await before.query(sql`INSERT INTO client_secrets (id, client_id, secret_hash, hint, created_at) VALUES (?, ?, ?, 'h', ?)`, [
        randomUUID(),
        id,
        id.padEnd(64, '0'),
        AT,
      ]);
    }

    const after = await open(MIGRATIONS.slice(0, UPTO + 1));
    await runMigrationsOnce(after);
    // Raw SQL, not the Client entity: the entity follows the latest schema (later migrations add
    // columns, such as credentials_revoked_at), and this database stops at this migration.
    expect(await flags(after)).toEqual([
      ['rs', 1],
      ['web', 0],
    ]);
    expect(await after.query('SELECT client_id FROM client_secrets ORDER BY client_id')).toEqual([
      { client_id: 'rs' },
      { client_id: 'web' },
    ]);
    expect(await columnType(after)).toMatch(/^(boolean|tinyint\(1\))$/);

    await after.undoLastMigration({ transaction: 'all' });
    expect(await columnType(after)).toMatch(/^(integer|int(\(11\))?)$/);
    expect(await flags(after)).toEqual([
      ['rs', 1],
      ['web', 0],
    ]);
    expect(await after.query('SELECT client_id FROM client_secrets ORDER BY client_id')).toEqual([
      { client_id: 'rs' },
      { client_id: 'web' },
    ]);
  });
});
