import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * `signing_keys.genesis` (issue 22 §4/§6): the algorithm, on each algorithm's first key only. Its
 * unique index lets N instances starting together on an empty database make exactly one first key
 * each (insert-or-ignore) instead of one per instance. NULL on every other key (NULLs never
 * collide in a unique index on MySQL/MariaDB, SQLite or PostgreSQL).
 */
export class SigningKeyGenesis1764002200000 implements MigrationInterface {
  name = 'SigningKeyGenesis1764002200000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER, the same text on every driver (SQLite's addColumn would rebuild the table).
    await q.query('ALTER TABLE signing_keys ADD COLUMN genesis varchar(16) NULL');
    await q.createIndex('signing_keys', new TableIndex({ name: 'uq_signing_keys_genesis', columnNames: ['genesis'], isUnique: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('signing_keys', 'uq_signing_keys_genesis');
    await q.query('ALTER TABLE signing_keys DROP COLUMN genesis');
  }
}
