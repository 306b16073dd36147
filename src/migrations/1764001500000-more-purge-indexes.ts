import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the purge passes of grants (refresh-token families), bot tokens and password-reset
 * links (src/housekeeping), as
 * 1764001300000 added for the other token tables. impersonation_tokens.expires_at was indexed
 * when that table was created; client_secrets is a few rows a client and needs none.
 */
const INDEXES: readonly { table: string; name: string; column: string }[] = [
  { table: 'authorization_grants', name: 'ix_authorization_grants_expires', column: 'expires_at' },
  { table: 'authorization_grants', name: 'ix_authorization_grants_revoked', column: 'revoked_at' },
  { table: 'bot_tokens', name: 'ix_bot_tokens_expires', column: 'expires_at' },
  { table: 'bot_tokens', name: 'ix_bot_tokens_revoked', column: 'revoked_at' },
  { table: 'password_reset_links', name: 'ix_password_reset_links_expires', column: 'expires_at' },
];

export class MorePurgeIndexes1764001500000 implements MigrationInterface {
  name = 'MorePurgeIndexes1764001500000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, name, column } of INDEXES) await q.createIndex(table, new TableIndex({ name, columnNames: [column] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, name } of [...INDEXES].reverse()) await q.dropIndex(table, name);
  }
}
