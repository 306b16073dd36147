import { Column, PrimaryGeneratedColumn } from 'typeorm';
import type { PrimaryGeneratedColumnUUIDOptions } from 'typeorm/decorator/options/PrimaryGeneratedColumnUUIDOptions';

/**
 * The entity side of `col.uuidPk()`: a UUID primary key TypeORM generates on insert, stored as
 * varchar(36). TypeORM's uuid options have no `type` or `length`, yet without them the SQLite schema diff
 * sees `varchar` against the migration's `varchar(36)`; the decorator copies every option into
 * the column, so the length is passed through here, once.
 */
export function UuidPrimaryColumn(): PropertyDecorator {
  return PrimaryGeneratedColumn('uuid', { type: 'varchar', length: 36 } as PrimaryGeneratedColumnUUIDOptions);
}

/**
 * The entity side of `col.bool()`: true/false on both drivers (MySQL/MariaDB store tinyint(1),
 * SQLite a 0/1 integer). TypeORM 1 neither sets nor compares a display width, so none is declared.
 */
export function BoolColumn(name: string, options: { default?: boolean } = {}): PropertyDecorator {
  return Column({ name, type: 'boolean', ...options });
}
