import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/** The device authorization grant (RFC 8628): one row per device authorization request. */
export class DeviceAuthorizations1764000300000 implements MigrationInterface {
  name = 'DeviceAuthorizations1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'device_authorizations',
        columns: [
          col.uuidPk(),
          col.hash('device_code_hash'),
          col.hash('user_code_hash'),
          col.str('client_id', 64),
          col.str('scopes', 1000),
          col.str('status', 16),
          col.int('interval_seconds'),
          col.time('created_at'),
          col.time('expires_at'),
          col.time('last_polled_at', true),
          col.uuid('user_id', true),
          col.time('decided_at', true),
          col.time('redeemed_at', true),
          col.uuid('grant_id', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_device_authorizations_device_code', columnNames: ['device_code_hash'], isUnique: true }),
          new TableIndex({ name: 'uq_device_authorizations_user_code', columnNames: ['user_code_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_device_authorizations_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['client_id'],
            referencedTableName: 'clients',
            referencedColumnNames: ['client_id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('device_authorizations');
  }
}
