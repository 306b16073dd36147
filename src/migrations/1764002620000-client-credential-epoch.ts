import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, sqlType } from './migration-columns';

/**
 * `clients.credentials_revoked_at` (issue 22 §1, "disable/delete client"): the per-client
 * credential epoch, moved when the client is disabled. Everything issued to the client before it
 * (authorization codes, device codes, refresh families, access tokens) stays refused when the
 * client is enabled again, as the user's epoch does for a disabled user.
 *
 * Plain ALTER TABLE … ADD COLUMN (TypeORM's SQLite addColumn rebuilds the table, and rebuilding
 * `clients` would cascade-delete every row referencing it).
 */
export class ClientCredentialEpoch1764002620000 implements MigrationInterface {
  name = 'ClientCredentialEpoch1764002620000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients ADD COLUMN credentials_revoked_at ${sqlType(q, col.time('credentials_revoked_at', true))} NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE clients DROP COLUMN credentials_revoked_at');
  }
}
