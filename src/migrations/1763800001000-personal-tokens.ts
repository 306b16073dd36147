import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

export class PersonalTokens1763800001000 implements MigrationInterface {
  name = 'PersonalTokens1763800001000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'personal_access_tokens',
        columns: [
          col.uuidPk(),
          col.uuid('user_id'),
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
          new TableIndex({ name: 'uq_pat_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_pat_user', columnNames: ['user_id', 'created_at'] }),
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('personal_access_tokens');
  }
}
