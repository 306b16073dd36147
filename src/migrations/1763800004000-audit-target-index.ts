import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** The admin audit log and a user's own security page filter by target; index it like the actor. */
export class AuditTargetIndex1763800004000 implements MigrationInterface {
  name = 'AuditTargetIndex1763800004000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'audit_events',
      new TableIndex({ name: 'ix_audit_target', columnNames: ['target_type', 'target_id', 'occurred_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('audit_events', 'ix_audit_target');
  }
}
