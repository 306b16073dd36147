import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, fk } from './migration-columns';

/**
 * Enterprise SSO (issue 26): upstream OpenID Connect connections, the external identities linked
 * to users, and `sessions.idp` (the upstream issuer a session signed in through; plain ALTER
 * TABLE, as for the other session columns).
 */
export class Sso1764002500000 implements MigrationInterface {
  name = 'Sso1764002500000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sso_connections',
        columns: [
          col.uuidPk(),
          col.str('slug', 64),
          col.str('name', 100),
          col.str('issuer', 255),
          col.str('client_id', 255),
          col.text('client_secret_sealed', false),
          col.str('scopes', 500),
          col.str('email_claim', 64),
          col.str('name_claim', 64),
          col.str('allowed_domains', 1000),
          col.str('required_domains', 1000),
          col.str('default_roles', 255),
          col.bool('enabled'),
          col.bool('trust_email'),
          col.bool('upstream_mfa'),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_sso_connections_slug', columnNames: ['slug'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'external_identities',
        columns: [
          col.uuidPk(),
          col.uuid('connection_id'),
          col.uuid('user_id'),
          col.str('issuer', 255),
          col.str('subject', 255),
          col.str('email', 254, true),
          col.time('created_at'),
          col.time('last_sign_in_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_external_identities_subject', columnNames: ['issuer', 'subject'], isUnique: true }),
          new TableIndex({ name: 'ix_external_identities_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_external_identities_connection', columnNames: ['connection_id'] }),
        ],
        foreignKeys: [fk('connection_id', 'sso_connections'), fk('user_id', 'users')],
      }),
    );
    await q.query('ALTER TABLE sessions ADD COLUMN idp varchar(255) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sessions DROP COLUMN idp');
    await q.dropTable('external_identities');
    await q.dropTable('sso_connections');
  }
}
