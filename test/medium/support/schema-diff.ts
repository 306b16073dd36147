import type { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to make the database match the DataSource's entities; empty when
 * the migrated schema and the entities agree (indices, foreign keys, types, nullability).
 *
 * The app talks to MariaDB with TypeORM's `mysql` driver. Reading the schema back, that driver
 * takes MariaDB's `DEFAULT NULL` for the string 'NULL' (a false difference on every nullable
 * column) unless its options say `mariadb`, so the type is switched for the read only, after the
 * entities were built exactly as the app builds them, and switched back.
 */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const options = ds.driver.options as { type: string };
  const original = options.type;
  const mariaDb = original === 'mysql' && /mariadb/i.test(((await ds.query('SELECT VERSION() AS v')) as { v: string }[])[0].v);
  if (mariaDb) options.type = 'mariadb';
  try {
    return (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  } finally {
    options.type = original;
  }
}
