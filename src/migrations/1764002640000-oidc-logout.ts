import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID Connect logout (issue 24): `oidc_client_settings.backchannel_logout_session_required`
 * (Back-Channel Logout §2.2: the client wants `sid` in its logout tokens). A plain ADD COLUMN:
 * SQLite would rebuild the table through TypeORM's addColumn.
 */
export class OidcLogout1764002640000 implements MigrationInterface {
  name = 'OidcLogout1764002640000';

  async up(q: QueryRunner): Promise<void> {
    const falsy = q.connection.driver.options.type === 'postgres' ? 'false' : '0';
    await q.query(`ALTER TABLE oidc_client_settings ADD COLUMN backchannel_logout_session_required boolean NOT NULL DEFAULT ${falsy}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE oidc_client_settings DROP COLUMN backchannel_logout_session_required');
  }
}
