import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, fk, sqlType } from './migration-columns';

/**
 * Multi-factor sign-in (issue 25, docs/mfa.md):
 * - `sessions.pending_step` / `pending_until`: a session that has passed the password but not
 *   yet a further step (`mfa`: the second factor; `mfa-enrol`: enrolment the policy requires),
 *   and when that partial state ends. Null for a full session. Plain ALTER TABLE (no rebuild on SQLite).
 * - `mfa_totp`: one authenticator-app secret per user, sealed (SecretSealer, purpose `totp-secret`,
 *   context the user id); `confirmed_at` null while enrolment is unconfirmed (not a factor yet);
 *   `last_used_step` the RFC 6238 time step of the last accepted code (replay refusal).
 * - `mfa_recovery_codes`: SHA-256 hashes of single-use recovery codes.
 */
export class Mfa1764002600000 implements MigrationInterface {
  name = 'Mfa1764002600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sessions ADD COLUMN pending_step varchar(32) NULL');
    await q.query(`ALTER TABLE sessions ADD COLUMN pending_until ${sqlType(q, col.time('pending_until', true))} NULL`);
    await q.createTable(
      new Table({
        name: 'mfa_totp',
        columns: [
          col.uuidPk(),
          col.uuid('user_id'),
          col.text('secret_sealed', false),
          col.time('created_at'),
          col.time('confirmed_at', true),
          col.int('last_used_step', true),
        ],
        indices: [new TableIndex({ name: 'uq_mfa_totp_user', columnNames: ['user_id'], isUnique: true })],
        foreignKeys: [fk('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_recovery_codes',
        columns: [col.uuidPk(), col.uuid('user_id'), col.hash('code_hash'), col.time('created_at'), col.time('used_at', true)],
        indices: [
          new TableIndex({ name: 'uq_mfa_recovery_codes_hash', columnNames: ['code_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_mfa_recovery_codes_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [fk('user_id', 'users')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('mfa_recovery_codes');
    await q.dropTable('mfa_totp');
    await q.query('ALTER TABLE sessions DROP COLUMN pending_until');
    await q.query('ALTER TABLE sessions DROP COLUMN pending_step');
  }
}
