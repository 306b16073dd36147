import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/**
 * `outbox_messages` (issue 22 §3): the transactional outbox that delivers mail out of the request,
 * with retries and backoff (src/outbox). Payloads are sealed (JWE) and emptied once done.
 */
export class OutboxMessages1764002220000 implements MigrationInterface {
  name = 'OutboxMessages1764002220000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          col.uuidPk(),
          col.str('topic', 64),
          col.text('payload_sealed', false),
          col.time('created_at'),
          col.time('not_after', true),
          { ...col.int('attempts'), default: 0 },
          col.time('next_attempt_at'),
          col.time('locked_until', true),
          col.time('done_at', true),
          col.str('outcome', 16, true),
          col.str('last_error', 255, true),
        ],
        indices: [new TableIndex({ name: 'ix_outbox_messages_due', columnNames: ['done_at', 'next_attempt_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox_messages');
  }
}
