import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/**
 * Bot users (issue 14): `users.kind` (person | bot), the bots module's own tables for a bot's
 * profile, its managers and its tokens.
 */
export class Bots1764000700000 implements MigrationInterface {
  name = 'Bots1764000700000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER (the same text on both drivers): TypeORM's SQLite addColumn rebuilds the table,
    // and rebuilding `users` would cascade-delete every row that references it.
    await q.query(`ALTER TABLE users ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'person'`);
    const userFk = (column: string) =>
      new TableForeignKey({ columnNames: [column], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await q.createTable(
      new Table({
        name: 'bots',
        columns: [
          { ...col.uuid('user_id'), isPrimary: true },
          col.str('description', 500),
          // Kept as plain text (no foreign key): the creator may be deleted, the record stays.
          col.uuid('created_by', true),
          col.time('created_at'),
        ],
        foreignKeys: [userFk('user_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bot_managers',
        columns: [{ ...col.uuid('bot_id'), isPrimary: true }, { ...col.uuid('user_id'), isPrimary: true }, col.time('added_at')],
        indices: [new TableIndex({ name: 'ix_bot_managers_user', columnNames: ['user_id'] })],
        foreignKeys: [userFk('bot_id'), userFk('user_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bot_tokens',
        columns: [
          col.uuidPk(),
          col.uuid('bot_id'),
          col.uuid('created_by', true),
          col.str('name', 100),
          col.hash('token_hash'),
          col.str('hint', 16),
          col.str('scopes', 1000),
          col.time('created_at'),
          col.time('expires_at', true),
          col.time('last_used_at', true),
          col.str('last_used_ip', 64, true),
          col.time('revoked_at', true),
        ],
        indices: [
          // The hot path looks tokens up by hash only.
          new TableIndex({ name: 'uq_bot_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_bot_tokens_bot', columnNames: ['bot_id', 'created_at'] }),
        ],
        foreignKeys: [userFk('bot_id')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('bot_tokens');
    await q.dropTable('bot_managers');
    await q.dropTable('bots');
    await q.query('ALTER TABLE users DROP COLUMN kind');
  }
}
