import { QueryRunner, TableColumn, TableColumnOptions, TableForeignKey } from 'typeorm';

/**
 * Column shapes shared by every migration. Each maps to a type every driver accepts, so the
 * same migration file runs on MySQL/MariaDB, SQLite and PostgreSQL (where postgres-dialect.ts
 * turns them into native types: `time` timestamptz(3), `double` double precision; ids stay varchar(36)).
 */
export const col = {
  /** A UUID key as text; TypeORM generates it on insert (every driver). */
  uuidPk: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
  uuid: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable }),
  str: (name: string, length: number, nullable = false): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
  }),
  /** SHA-256 of a credential, hex. */
  hash: (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '64', isNullable: false }),
  text: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  time: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable }),
  /** A measurement; nullable unless told (a reading may lack a value). Entity: `type: 'double'`. */
  double: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'double', isNullable: nullable }),
  /**
   * The one boolean style: `boolean` (MySQL/MariaDB store tinyint(1), SQLite a 0/1 integer; the
   * drivers read back true/false). Entity: `@BoolColumn(name)` (database/entity-columns.ts).
   */
  bool: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'boolean', isNullable: nullable }),
  int: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable }),
  incrementPk: (name = 'id'): TableColumnOptions => ({
    name,
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  }),
};

/**
 * A foreign key that deletes the row with its parent, as every foreign key here does. `ON UPDATE
 * NO ACTION` is spelled out: left out, MySQL/MariaDB record RESTRICT and SQLite NO ACTION, and
 * the entity (`@ForeignKey(() => Parent, { onDelete: 'CASCADE' })` or a relation) can match only
 * one of them (see the schema drift test).
 */
export function fk(column: string, referencedTable: string, referencedColumn = 'id'): TableForeignKey {
  return new TableForeignKey({
    columnNames: [column],
    referencedTableName: referencedTable,
    referencedColumnNames: [referencedColumn],
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  });
}

/**
 * The SQL type of a `col.*` column on this migration's driver, for a plain `ALTER TABLE … ADD
 * COLUMN` (which SQLite runs without TypeORM's table rebuild): e.g. `col.time` is `datetime(3)` on
 * MySQL/MariaDB and SQLite, `timestamp(3) with time zone` on PostgreSQL; `col.uuid` is
 * `varchar(36)` everywhere. Nullability and defaults stay in the statement.
 */
export function sqlType(q: QueryRunner, column: TableColumnOptions): string {
  return q.connection.driver.createFullType(new TableColumn(column));
}
