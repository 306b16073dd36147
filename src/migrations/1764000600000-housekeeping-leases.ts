import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col } from './migration-columns';

/** Housekeeping leases: one row per job; the instance holding an unexpired lease runs the job. */
export class HousekeepingLeases1764000600000 implements MigrationInterface {
  name = 'HousekeepingLeases1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'housekeeping_leases',
        columns: [{ ...col.str('name', 64), isPrimary: true }, col.str('holder', 128), col.time('expires_at')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('housekeeping_leases');
  }
}
