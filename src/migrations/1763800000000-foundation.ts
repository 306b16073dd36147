import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          col.uuidPk(),
          col.str('email', 254),
          col.str('display_name', 100),
          col.str('password_hash', 255),
          col.str('status', 16),
          col.str('roles', 255),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          col.uuidPk(),
          col.hash('secret_hash'),
          col.uuid('user_id'),
          col.time('created_at'),
          col.time('last_seen_at'),
          col.time('expires_at'),
          col.time('revoked_at', true),
          col.str('ip', 64, true),
          col.str('user_agent', 512, true),
        ],
        indices: [
          new TableIndex({ name: 'uq_sessions_secret_hash', columnNames: ['secret_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_sessions_user', columnNames: ['user_id', 'created_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'devices',
        columns: [
          col.uuidPk(),
          col.uuid('owner_id'),
          col.str('name', 100),
          col.str('model', 100, true),
          col.str('serial_number', 100, true),
          col.str('location', 200, true),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_devices_owner', columnNames: ['owner_id', 'created_at', 'id'] })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'samples',
        columns: [
          col.incrementPk(),
          col.uuid('device_id'),
          col.time('recorded_at'),
          col.double('radon'),
          col.double('co2'),
          col.double('voc'),
          col.double('temperature'),
          col.double('humidity'),
          col.double('pressure'),
          col.double('battery'),
          col.time('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_samples_device_time', columnNames: ['device_id', 'recorded_at'] })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['device_id'],
            referencedTableName: 'devices',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          col.uuidPk(),
          col.time('occurred_at'),
          col.str('actor_type', 16),
          col.str('actor_id', 64, true),
          col.str('credential_kind', 16, true),
          col.str('credential_id', 64, true),
          col.str('action', 64),
          col.str('target_type', 32, true),
          col.str('target_id', 64, true),
          col.str('outcome', 16),
          col.str('ip', 64, true),
          col.str('user_agent', 512, true),
          col.str('request_id', 64, true),
          col.text('details'),
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_time', columnNames: ['occurred_at'] }),
          new TableIndex({ name: 'ix_audit_actor', columnNames: ['actor_id', 'occurred_at'] }),
          new TableIndex({ name: 'ix_audit_action', columnNames: ['action', 'occurred_at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_events', 'samples', 'devices', 'sessions', 'users']) await q.dropTable(t);
  }
}
