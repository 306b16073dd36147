import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/** Impersonation tokens (RFC 8693 token exchange with `act`), owned by the impersonation module. */
export class ImpersonationTokens1764000701000 implements MigrationInterface {
  name = 'ImpersonationTokens1764000701000';

  async up(q: QueryRunner): Promise<void> {
    const fk = (column: string, table: string, ref: string) =>
      new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: [ref], onDelete: 'CASCADE' });
    await q.createTable(
      new Table({
        name: 'impersonation_tokens',
        columns: [
          col.uuidPk(),
          col.hash('token_hash'),
          col.uuid('subject_user_id'),
          col.uuid('actor_user_id'),
          // Null when started from the admin page rather than through a client at the token endpoint.
          col.str('client_id', 64, true),
          col.str('scopes', 1000),
          col.str('reason', 500, true),
          col.time('created_at'),
          col.time('expires_at'),
          col.time('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_impersonation_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_impersonation_tokens_expiry', columnNames: ['expires_at'] }),
          new TableIndex({ name: 'ix_impersonation_tokens_subject', columnNames: ['subject_user_id'] }),
        ],
        foreignKeys: [fk('subject_user_id', 'users', 'id'), fk('actor_user_id', 'users', 'id'), fk('client_id', 'clients', 'client_id')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('impersonation_tokens');
  }
}
