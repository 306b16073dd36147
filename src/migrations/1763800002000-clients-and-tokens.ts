import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/** OAuth clients, their secrets, and the access tokens the token endpoint issues. */
export class ClientsAndTokens1763800002000 implements MigrationInterface {
  name = 'ClientsAndTokens1763800002000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clients',
        columns: [
          // The public client_id is the primary key: every other table refers to clients by it.
          col.str('client_id', 64),
          col.str('name', 100),
          col.str('client_type', 16),
          col.text('redirect_uris', false),
          col.str('grant_types', 255),
          col.str('allowed_scopes', 1000),
          col.uuid('owner_id'),
          col.str('status', 16),
          col.int('introspection_allowed'),
          col.time('created_at'),
          col.time('updated_at'),
        ].map((c) => (c.name === 'client_id' ? { ...c, isPrimary: true } : c)),
        indices: [new TableIndex({ name: 'ix_clients_owner', columnNames: ['owner_id', 'created_at'] })],
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
        name: 'client_secrets',
        columns: [
          col.uuidPk(),
          col.str('client_id', 64),
          col.hash('secret_hash'),
          col.str('hint', 16),
          col.time('created_at'),
          // Set when a rotation puts this secret in its grace period.
          col.time('expires_at', true),
          col.time('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_client_secrets_hash', columnNames: ['secret_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_client_secrets_client', columnNames: ['client_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['client_id'],
            referencedTableName: 'clients',
            referencedColumnNames: ['client_id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'oauth_access_tokens',
        columns: [
          col.uuidPk(),
          col.hash('token_hash'),
          col.str('client_id', 64),
          // Null for client_credentials tokens: the client acts as itself.
          col.uuid('user_id', true),
          // The code-flow grant (consent family) the token belongs to, when there is one.
          col.uuid('grant_id', true),
          col.str('scopes', 1000),
          col.time('created_at'),
          col.time('expires_at'),
          col.time('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_oauth_access_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_oauth_access_tokens_client', columnNames: ['client_id'] }),
          new TableIndex({ name: 'ix_oauth_access_tokens_grant', columnNames: ['grant_id'] }),
          new TableIndex({ name: 'ix_oauth_access_tokens_user', columnNames: ['user_id'] }),
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
    for (const t of ['oauth_access_tokens', 'client_secrets', 'clients']) await q.dropTable(t);
  }
}
