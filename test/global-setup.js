/* Runs once before the suites. On MySQL/MariaDB it gives the run a clean schema by dropping
 * every table in the test database and applying the migrations; SQLite suites use a fresh file
 * per test file instead. */
module.exports = async function globalSetup() {
  const url = process.env.DATABASE_URL;
  if (!url || !url.startsWith('mysql://')) return;
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  require('reflect-metadata');
  const mysql = require('mysql2/promise');
  const conn = await mysql.createConnection({ uri: url, multipleStatements: true });
  const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()');
  await conn.query('SET FOREIGN_KEY_CHECKS = 0');
  for (const { t } of rows) await conn.query(`DROP TABLE IF EXISTS \`${t}\``);
  await conn.query('SET FOREIGN_KEY_CHECKS = 1');
  await conn.end();
  const { DataSource } = require('typeorm');
  const { buildDataSourceOptions } = require('../src/database/data-source-options');
  const ds = new DataSource({ ...buildDataSourceOptions({ type: 'mysql', url }), entities: [] });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
};
