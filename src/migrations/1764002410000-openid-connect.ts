import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, fk } from './migration-columns';

/**
 * OpenID Connect (issue 24): `oidc_sign_ins`, one row per authorization code issued for
 * `scope=openid` (nonce, the session's authentication, the token family once redeemed), and
 * `oidc_client_settings`, a client's OIDC registration (id_token algorithm, post-logout
 * redirect URIs, back-channel logout URI). New tables only: nothing is rebuilt.
 */
export class OpenIdConnect1764002410000 implements MigrationInterface {
  name = 'OpenIdConnect1764002410000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'oidc_sign_ins',
        columns: [
          col.uuidPk(),
          col.hash('code_hash'),
          col.uuid('grant_id', true),
          col.uuid('session_id'),
          col.str('client_id', 64),
          col.uuid('user_id'),
          col.str('nonce', 512, true),
          col.time('auth_time'),
          col.text('amr'),
          col.str('acr', 64, true),
          col.time('id_token_issued_at', true),
          col.time('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_oidc_sign_ins_code', columnNames: ['code_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_oidc_sign_ins_grant', columnNames: ['grant_id'] }),
          new TableIndex({ name: 'ix_oidc_sign_ins_session', columnNames: ['session_id'] }),
        ],
        foreignKeys: [fk('session_id', 'sessions')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'oidc_client_settings',
        columns: [
          { ...col.str('client_id', 64), isPrimary: true },
          { ...col.str('id_token_alg', 8), default: "'ES256'" },
          col.text('post_logout_redirect_uris'),
          col.str('backchannel_logout_uri', 2000, true),
        ],
        foreignKeys: [fk('client_id', 'clients', 'client_id')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('oidc_client_settings');
    await q.dropTable('oidc_sign_ins');
  }
}
