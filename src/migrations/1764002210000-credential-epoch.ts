import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, sqlType } from './migration-columns';

/**
 * `users.credentials_revoked_at` (issue 22 §1): the per-user credential epoch. Everything issued
 * to the user before it that is still in flight (codes, device codes, refresh families, access
 * and impersonation tokens, reset links) is refused at redemption or use.
 *
 * Plain ALTER TABLE … ADD COLUMN (TypeORM's SQLite addColumn rebuilds the table, and rebuilding
 * `users` would cascade-delete every row referencing it); the date type is spelled per driver by `sqlType` (PostgreSQL: timestamptz).
 */
export class CredentialEpoch1764002210000 implements MigrationInterface {
  name = 'CredentialEpoch1764002210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN credentials_revoked_at ${sqlType(q, col.time('credentials_revoked_at', true))} NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN credentials_revoked_at');
  }
}
