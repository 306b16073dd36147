import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the housekeeping purge (src/housekeeping): each purge pass selects
 * `WHERE <column> < :cutoff LIMIT n` on one of these columns. Without them every batch is a
 * full table scan, and once few ended rows remain among many live ones (the steady state)
 * a batch reads the whole table to find them. device_authorizations.expires_at and
 * impersonation_tokens.expires_at were indexed when those tables were created.
 */
export const PURGE_INDEXES: readonly { table: string; name: string; column: string }[] = [
  { table: 'personal_access_tokens', name: 'ix_pat_expires', column: 'expires_at' },
  { table: 'personal_access_tokens', name: 'ix_pat_revoked', column: 'revoked_at' },
  { table: 'sessions', name: 'ix_sessions_expires', column: 'expires_at' },
  { table: 'sessions', name: 'ix_sessions_revoked', column: 'revoked_at' },
  { table: 'oauth_access_tokens', name: 'ix_oauth_access_tokens_expires', column: 'expires_at' },
  { table: 'oauth_access_tokens', name: 'ix_oauth_access_tokens_revoked', column: 'revoked_at' },
  { table: 'refresh_tokens', name: 'ix_refresh_tokens_expires', column: 'expires_at' },
  { table: 'refresh_tokens', name: 'ix_refresh_tokens_revoked', column: 'revoked_at' },
  { table: 'refresh_tokens', name: 'ix_refresh_tokens_rotated', column: 'rotated_at' },
  { table: 'authorization_codes', name: 'ix_authorization_codes_expires', column: 'expires_at' },
];

export class PurgeIndexes1764001300000 implements MigrationInterface {
  name = 'PurgeIndexes1764001300000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, name, column } of PURGE_INDEXES) await q.createIndex(table, new TableIndex({ name, columnNames: [column] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, name } of [...PURGE_INDEXES].reverse()) await q.dropIndex(table, name);
  }
}
