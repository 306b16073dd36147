import { MigrationInterface, QueryRunner } from 'typeorm';

interface ForeignKeyRow {
  tableName: string;
  name: string;
  deleteRule: string;
  referencedTable: string;
  columnName: string;
  referencedColumn: string;
}

/**
 * MySQL/MariaDB only: the earlier migrations created their foreign keys without `ON UPDATE`,
 * which these servers record as RESTRICT (SQLite records NO ACTION). The entities declare
 * NO ACTION, TypeORM's default; in InnoDB the two behave the same, so this re-creates each
 * such key with NO ACTION (same name, columns and ON DELETE) for the schema to match the
 * entities on both drivers. New migrations use `fk()` (migration-columns.ts) and need no fix.
 */
export class ForeignKeysOnUpdate1764000800000 implements MigrationInterface {
  name = 'ForeignKeysOnUpdate1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await this.setUpdateRule(q, 'RESTRICT', 'NO ACTION');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.setUpdateRule(q, 'NO ACTION', 'RESTRICT');
  }

  private async setUpdateRule(q: QueryRunner, from: string, to: string): Promise<void> {
    if (q.dataSource.options.type !== 'mysql' && q.dataSource.options.type !== 'mariadb') return;
    const rows = (await q.query(
      `SELECT rc.TABLE_NAME AS tableName, rc.CONSTRAINT_NAME AS name, rc.DELETE_RULE AS deleteRule,
              rc.REFERENCED_TABLE_NAME AS referencedTable, k.COLUMN_NAME AS columnName,
              k.REFERENCED_COLUMN_NAME AS referencedColumn
         FROM information_schema.REFERENTIAL_CONSTRAINTS rc
         JOIN information_schema.KEY_COLUMN_USAGE k
           ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME
        WHERE rc.CONSTRAINT_SCHEMA = DATABASE() AND rc.UPDATE_RULE = ?
        ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [from],
    )) as ForeignKeyRow[];
    const keys = new Map<string, { row: ForeignKeyRow; columns: string[]; referenced: string[] }>();
    for (const row of rows) {
      const key = `${row.tableName}.${row.name}`;
      const entry = keys.get(key) ?? { row, columns: [], referenced: [] };
      entry.columns.push(row.columnName);
      entry.referenced.push(row.referencedColumn);
      keys.set(key, entry);
    }
    const names = (cs: string[]) => cs.map((c) => `\`${c}\``).join(', ');
    for (const { row, columns, referenced } of keys.values()) {
      await q.query(`ALTER TABLE \`${row.tableName}\` DROP FOREIGN KEY \`${row.name}\``);
      await q.query(
        `ALTER TABLE \`${row.tableName}\` ADD CONSTRAINT \`${row.name}\` FOREIGN KEY (${names(columns)}) ` +
          `REFERENCES \`${row.referencedTable}\` (${names(referenced)}) ON DELETE ${row.deleteRule} ON UPDATE ${to}`,
      );
    }
  }
}
