import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, fk } from '../../../src/migrations/migration-columns';

/** The alerts example's table. In a real module this file lives in src/migrations/. */
export class Alerts1764000810000 implements MigrationInterface {
  name = 'Alerts1764000810000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'alerts',
        columns: [
          col.uuidPk(),
          col.uuid('device_id'),
          col.str('metric', 16),
          col.double('threshold', false),
          col.bool('enabled'),
          col.time('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_alerts_device', columnNames: ['device_id', 'created_at', 'id'] })],
        foreignKeys: [fk('device_id', 'devices')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('alerts');
  }
}
