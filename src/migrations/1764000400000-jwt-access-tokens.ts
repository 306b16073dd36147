import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { col } from './migration-columns';

/**
 * JWT access tokens (RFC 9068): the signing keys (private half sealed at rest), a per-client
 * access-token format and algorithm, the resource-server registry (RFC 8707 resource → aud),
 * and the audience of each issued access token.
 */
export class JwtAccessTokens1764000400000 implements MigrationInterface {
  name = 'JwtAccessTokens1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          { ...col.str('kid', 64), isPrimary: true },
          col.str('alg', 16),
          col.text('public_jwk', false),
          col.text('private_jwk_sealed', false),
          col.time('created_at'),
          // Published from creation; signs from here on (pre-publication).
          col.time('active_from'),
        ],
        indices: [new TableIndex({ name: 'ix_signing_keys_alg_active', columnNames: ['alg', 'active_from'] })],
      }),
    );
    await q.addColumns('clients', [
      new TableColumn({ ...col.str('access_token_format', 8), default: "'opaque'" }),
      new TableColumn({ ...col.str('access_token_alg', 8), default: "'ES256'" }),
      // Set for a client that is a resource server: the RFC 8707 resource indicator naming it.
      new TableColumn(col.str('resource_uri', 255, true)),
    ]);
    await q.createIndex('clients', new TableIndex({ name: 'uq_clients_resource_uri', columnNames: ['resource_uri'], isUnique: true }));
    await q.addColumn('oauth_access_tokens', new TableColumn(col.str('audience', 255, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('oauth_access_tokens', 'audience');
    await q.dropIndex('clients', 'uq_clients_resource_uri');
    for (const c of ['resource_uri', 'access_token_alg', 'access_token_format']) await q.dropColumn('clients', c);
    await q.dropTable('signing_keys');
  }
}
