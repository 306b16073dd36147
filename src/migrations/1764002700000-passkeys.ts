import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, fk } from './migration-columns';

/**
 * Passkeys (issue 25): the WebAuthn credentials people register, and the short-lived challenges
 * of registration and sign-in ceremonies (single use, bound to a session or a browser).
 * A credential id is up to 1023 bytes: it is kept whole and found by its SHA-256 (unique).
 */
export class Passkeys1764002700000 implements MigrationInterface {
  name = 'Passkeys1764002700000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'passkeys',
        columns: [
          col.uuidPk(),
          col.uuid('user_id'),
          col.str('name', 100),
          col.hash('credential_id_hash'),
          col.str('credential_id', 1400),
          col.text('public_key', false),
          col.double('sign_count', false),
          col.str('transports', 255),
          col.str('aaguid', 36),
          col.bool('backup_eligible'),
          col.bool('backed_up'),
          col.time('created_at'),
          col.time('last_used_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_passkeys_credential', columnNames: ['credential_id_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_passkeys_user', columnNames: ['user_id', 'created_at', 'id'] }),
        ],
        foreignKeys: [fk('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'passkey_challenges',
        columns: [
          col.uuidPk(),
          col.str('purpose', 16),
          col.hash('binding_hash'),
          col.str('challenge', 128),
          col.uuid('user_id', true),
          col.time('created_at'),
          col.time('expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_passkey_challenges_binding', columnNames: ['binding_hash', 'purpose'] }),
          new TableIndex({ name: 'ix_passkey_challenges_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [fk('user_id', 'users')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('passkey_challenges');
    await q.dropTable('passkeys');
  }
}
