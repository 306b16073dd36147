import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { col } from './migration-columns';

const toUsers = () =>
  new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
const toClients = () =>
  new TableForeignKey({
    columnNames: ['client_id'],
    referencedTableName: 'clients',
    referencedColumnNames: ['client_id'],
    onDelete: 'CASCADE',
  });

/** The authorization code flow: codes, consents, refresh-token families and refresh tokens. */
export class AuthorizationCodeFlow1763800003000 implements MigrationInterface {
  name = 'AuthorizationCodeFlow1763800003000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'authorization_codes',
        columns: [
          col.uuidPk(),
          col.hash('code_hash'),
          col.str('client_id', 64),
          col.uuid('user_id'),
          col.str('redirect_uri', 2000),
          { name: 'redirect_uri_given', type: 'boolean', isNullable: false },
          col.str('scopes', 1000),
          col.str('code_challenge', 128, true),
          col.time('created_at'),
          col.time('expires_at'),
          col.time('consumed_at', true),
          col.uuid('grant_id', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_authorization_codes_hash', columnNames: ['code_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_authorization_codes_user_client', columnNames: ['user_id', 'client_id'] }),
        ],
        foreignKeys: [toUsers(), toClients()],
      }),
    );

    await q.createTable(
      new Table({
        name: 'consents',
        columns: [
          col.uuidPk(),
          col.uuid('user_id'),
          col.str('client_id', 64),
          col.str('scopes', 1000),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_consents_user_client', columnNames: ['user_id', 'client_id'], isUnique: true })],
        foreignKeys: [toUsers(), toClients()],
      }),
    );

    await q.createTable(
      new Table({
        name: 'authorization_grants',
        columns: [
          col.uuidPk(),
          col.uuid('user_id'),
          col.str('client_id', 64),
          col.str('scopes', 1000),
          col.time('created_at'),
          col.time('expires_at'),
          col.time('revoked_at', true),
          col.str('revoked_reason', 32, true),
        ],
        indices: [new TableIndex({ name: 'ix_authorization_grants_user_client', columnNames: ['user_id', 'client_id'] })],
        foreignKeys: [toUsers(), toClients()],
      }),
    );

    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          col.uuidPk(),
          col.hash('token_hash'),
          col.uuid('grant_id'),
          col.str('client_id', 64),
          col.time('created_at'),
          col.time('expires_at'),
          col.time('rotated_at', true),
          col.time('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_refresh_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_refresh_tokens_grant', columnNames: ['grant_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['grant_id'],
            referencedTableName: 'authorization_grants',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          toClients(),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['refresh_tokens', 'authorization_grants', 'consents', 'authorization_codes']) await q.dropTable(t);
  }
}
