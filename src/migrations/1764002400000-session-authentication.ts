import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, sqlType } from './migration-columns';

/**
 * How and when a session's user authenticated (OpenID Connect Core §2: `auth_time`, `amr`, `acr`),
 * recorded at sign-in and copied into id_tokens:
 * - `auth_time`: when the user last proved who they are in this session (a password, a second
 *   factor). Null for sessions started before this migration (read as `created_at`).
 * - `amr`: a JSON array of RFC 8176 method names (`["pwd"]`, `["pwd","otp","mfa"]`).
 * - `acr`: the authentication context class reference, when one applies.
 *
 * Plain ALTER TABLE … ADD COLUMN (no TypeORM table rebuild on SQLite, see docs/architecture.md);
 * the date type is spelled per driver by `sqlType` (PostgreSQL: timestamptz).
 */
export class SessionAuthentication1764002400000 implements MigrationInterface {
  name = 'SessionAuthentication1764002400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions ADD COLUMN auth_time ${sqlType(q, col.time('auth_time', true))} NULL`);
    await q.query('ALTER TABLE sessions ADD COLUMN amr text NULL');
    await q.query('ALTER TABLE sessions ADD COLUMN acr varchar(64) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sessions DROP COLUMN acr');
    await q.query('ALTER TABLE sessions DROP COLUMN amr');
    await q.query('ALTER TABLE sessions DROP COLUMN auth_time');
  }
}
