import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `clients.introspection_allowed` was created as an integer (0/1, read through a transformer); it
 * becomes the shared boolean style (`col.bool`, `@BoolColumn`) as every other flag is, with
 * `DEFAULT 0` (a client is no resource server unless an admin says so). Values are kept: any
 * non-zero value is true.
 *
 * - MySQL/MariaDB: `MODIFY` in place (TypeORM's changeColumn would drop and re-add the column on
 *   a type change, losing the values).
 * - SQLite cannot change a column's declared type in place, and TypeORM's changeColumn rebuilds
 *   the table: dropping the old `clients` cascades to every row that references it whenever
 *   foreign keys are on, which they are during `migration:revert` (TypeORM 1.1 opens the
 *   transaction before turning them off). So: add the new column, copy, drop the old one, rename.
 */
export class IntrospectionAllowedBoolean1764001100000 implements MigrationInterface {
  name = 'IntrospectionAllowedBoolean1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await this.retype(q, 'boolean', 'CASE WHEN introspection_allowed <> 0 THEN 1 ELSE 0 END');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.retype(q, 'integer', 'introspection_allowed');
  }

  private async retype(q: QueryRunner, type: 'boolean' | 'integer', value: string): Promise<void> {
    // PostgreSQL: in place, USING converts each value (no implicit integer/boolean cast).
    if (q.dataSource.options.type === 'postgres') {
      const using = type === 'boolean' ? 'introspection_allowed <> 0' : 'CASE WHEN introspection_allowed THEN 1 ELSE 0 END';
      await q.query('ALTER TABLE clients ALTER COLUMN introspection_allowed DROP DEFAULT');
      await q.query(`ALTER TABLE clients ALTER COLUMN introspection_allowed TYPE ${type} USING ${using}`);
      if (type === 'boolean') await q.query('ALTER TABLE clients ALTER COLUMN introspection_allowed SET DEFAULT false');
      return;
    }
    if (q.dataSource.options.type === 'mysql' || q.dataSource.options.type === 'mariadb') {
      await q.query(`UPDATE clients SET introspection_allowed = ${value}`);
      await q.query(
        `ALTER TABLE clients MODIFY introspection_allowed ${type === 'boolean' ? 'boolean NOT NULL DEFAULT 0' : 'int NOT NULL'}`,
      );
      return;
    }
    await q.query(`ALTER TABLE clients ADD COLUMN introspection_allowed_new ${type} NOT NULL DEFAULT 0`);
    await q.query(`UPDATE clients SET introspection_allowed_new = ${value}`);
    await q.query('ALTER TABLE clients DROP COLUMN introspection_allowed');
    await q.query('ALTER TABLE clients RENAME COLUMN introspection_allowed_new TO introspection_allowed');
  }
}
