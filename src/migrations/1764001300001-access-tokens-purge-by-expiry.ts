import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Drops `ix_oauth_access_tokens_revoked` (1764001300000): an access token lives at most a day
 * (OAUTH_ACCESS_TOKEN_TTL_SECONDS ≤ 86400), so its purge goes by `expires_at` alone (a revoked
 * one is purged at most a day later than by `revoked_at`), and the index cost a write on every
 * token the token endpoint issues, the busiest insert of all.
 */
export class AccessTokensPurgeByExpiry1764001300001 implements MigrationInterface {
  name = 'AccessTokensPurgeByExpiry1764001300001';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('oauth_access_tokens', 'ix_oauth_access_tokens_revoked');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createIndex('oauth_access_tokens', new TableIndex({ name: 'ix_oauth_access_tokens_revoked', columnNames: ['revoked_at'] }));
  }
}
