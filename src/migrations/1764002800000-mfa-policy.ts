import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/**
 * MFA operator policy and factor removal (issue 25, docs/mfa.md "Operator policy"):
 * - `mfa_settings`: what an admin set at runtime, one row per setting (`name` `required`:
 *   `none` | `admins` | `all`), who set it and when. No row: the environment's `MFA_REQUIRED`
 *   applies. Read by primary key at each sign-in (no cache).
 * - `mfa_factor_locks`: a short per-user lease taken while a factor is removed, so two
 *   concurrent removals of a user's last two factors cannot both pass the policy check (the
 *   factors live in several modules' tables, so no one statement can check and delete).
 */
export class MfaPolicy1764002800000 implements MigrationInterface {
  name = 'MfaPolicy1764002800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'mfa_settings',
        columns: [{ ...col.str('name', 32), isPrimary: true }, col.str('value', 64), col.time('updated_at'), col.uuid('updated_by', true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_factor_locks',
        columns: [{ ...col.uuid('user_id'), isPrimary: true }, col.uuid('holder'), col.time('expires_at')],
        indices: [new TableIndex({ name: 'ix_mfa_factor_locks_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('mfa_factor_locks');
    await q.dropTable('mfa_settings');
  }
}
