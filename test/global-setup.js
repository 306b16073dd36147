/* Runs once before the suites. On MySQL/MariaDB and PostgreSQL it gives the run a clean schema by
 * dropping every table in the test database and applying the migrations; SQLite suites use a
 * fresh file per test file instead. */
module.exports = async function globalSetup() {
  const url = process.env.DATABASE_URL;
  const postgres = /^postgres(ql)?:\/\//.test(url ?? '');
  if (!url || !(url.startsWith('mysql://') || postgres)) return;
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  require('reflect-metadata');
  if (postgres) {
    const { Client } = require('pg');
    const client = new Client({ connectionString: url });
    await client.connect();
    // Everything in the schema, with its types and sequences: the run starts from nothing.
    await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
    await client.end();
  } else {
    const mysql = require('mysql2/promise');
    const conn = await mysql.createConnection({ uri: url, multipleStatements: true });
    const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()');
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { t } of rows) await conn.query(`DROP TABLE IF EXISTS \`${t}\``);
    await conn.query('SET FOREIGN_KEY_CHECKS = 1');
    await conn.end();
  }
  const { DataSource } = require('typeorm');
  const { buildDataSourceOptions } = require('../src/database/data-source-options');
  const { parseDatabaseUrl } = require('../src/config/app-config');
  const ds = new DataSource({ ...buildDataSourceOptions(parseDatabaseUrl(url)), entities: [] });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
};
