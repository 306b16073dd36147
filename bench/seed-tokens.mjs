// P5: stores N personal access tokens and N access tokens by SQL (random hashes nobody holds), so
// the bench shows whether authentication stays an indexed lookup as the token tables grow.
// bench/purge.mjs seeds ended ones the same way (`expiresAt`, `revokedAt`; MySQL and PostgreSQL).
import { isPostgresUrl, pgClient } from './support.mjs';

const CHUNK = 100_000;
const LIVE = '2099-01-01 00:00:00.000';

export async function seedStoredTokens(databaseUrl, count, { userId, clientId, expiresAt = LIVE, revokedAt = null }) {
  if (databaseUrl.startsWith('mysql://')) return seedMysql(databaseUrl, count, userId, clientId, expiresAt, revokedAt);
  if (isPostgresUrl(databaseUrl)) return seedPostgres(databaseUrl, count, userId, clientId, expiresAt, revokedAt);
  if (expiresAt !== LIVE || revokedAt !== null) throw new Error('ended tokens: MySQL and PostgreSQL only');
  return seedSqlite(databaseUrl.slice('sqlite:'.length), count, userId, clientId);
}

async function seedSqlite(file, count, userId, clientId) {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const gen = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)';
  const pat = db.prepare(`${gen} INSERT INTO personal_access_tokens
    (id, user_id, name, token_hash, hint, scopes, created_at, expires_at, last_used_at, last_used_ip, revoked_at)
    SELECT lower(hex(randomblob(16))), ?, 'seed', lower(hex(randomblob(32))), 'ghpat_…seed', 'read:device',
      '2026-01-01 00:00:00.000', '2099-01-01 00:00:00.000', NULL, NULL, NULL FROM n`);
  const at = db.prepare(`${gen} INSERT INTO oauth_access_tokens
    (id, token_hash, client_id, user_id, grant_id, scopes, created_at, expires_at, revoked_at)
    SELECT lower(hex(randomblob(16))), lower(hex(randomblob(32))), ?, NULL, NULL, 'read:device',
      '2026-01-01 00:00:00.000', '2099-01-01 00:00:00.000', NULL FROM n`);
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    db.transaction(() => {
      pat.run(n, userId);
      at.run(n, clientId);
    })();
  }
  db.close();
}

async function seedMysql(url, count, userId, clientId, expiresAt, revokedAt) {
  const mysql = (await import('mysql2/promise')).default;
  const conn = await mysql.createConnection({ uri: url });
  // MySQL 8 caps recursion at 1000 by default (cte_max_recursion_depth), and so may a MariaDB
  // server (max_recursive_iterations); each server ignores the other's variable.
  await conn.query('SET SESSION cte_max_recursion_depth = 1000000').catch(() => undefined);
  await conn.query('SET SESSION max_recursive_iterations = 1000000').catch(() => undefined);
  const gen = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)';
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    await conn.query(
      `INSERT INTO personal_access_tokens
        (id, user_id, name, token_hash, hint, scopes, created_at, expires_at, last_used_at, last_used_ip, revoked_at)
       ${gen} SELECT UUID(), ?, 'seed', SHA2(CONCAT(UUID(), i), 256), 'ghpat_…seed', 'read:device',
         '2026-01-01 00:00:00.000', ?, NULL, NULL, ? FROM n`,
      [n, userId, expiresAt, revokedAt],
    );
    await conn.query(
      `INSERT INTO oauth_access_tokens (id, token_hash, client_id, user_id, grant_id, scopes, created_at, expires_at, revoked_at)
       ${gen} SELECT UUID(), SHA2(CONCAT(UUID(), i), 256), ?, NULL, NULL, 'read:device',
         '2026-01-01 00:00:00.000', COALESCE(DATE_ADD(?, INTERVAL 1 HOUR), ?), ? FROM n`,
      // An access token lives at most a day: a revoked one expires an hour after its revocation.
      [n, clientId, revokedAt, expiresAt, revokedAt],
    );
  }
  await conn.end();
}

async function seedPostgres(url, count, userId, clientId, expiresAt, revokedAt) {
  const client = await pgClient(url); // UTC session: the literals below are UTC instants
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    await client.query(
      `INSERT INTO personal_access_tokens
        (id, user_id, name, token_hash, hint, scopes, created_at, expires_at, last_used_at, last_used_ip, revoked_at)
       SELECT gen_random_uuid()::text, $2, 'seed', encode(sha256(convert_to(gen_random_uuid()::text || i, 'UTF8')), 'hex'),
         'ghpat_…seed', 'read:device', '2026-01-01 00:00:00.000', $3::timestamptz, NULL, NULL, $4::timestamptz
       FROM generate_series(1, $1::int) AS i`,
      [n, userId, expiresAt, revokedAt],
    );
    await client.query(
      `INSERT INTO oauth_access_tokens (id, token_hash, client_id, user_id, grant_id, scopes, created_at, expires_at, revoked_at)
       SELECT gen_random_uuid()::text, encode(sha256(convert_to(gen_random_uuid()::text || i, 'UTF8')), 'hex'), $2, NULL, NULL,
         'read:device', '2026-01-01 00:00:00.000', COALESCE($3::timestamptz + interval '1 hour', $4::timestamptz), $3::timestamptz
       FROM generate_series(1, $1::int) AS i`,
      // An access token lives at most a day: a revoked one expires an hour after its revocation.
      [n, clientId, revokedAt, expiresAt],
    );
  }
  await client.end();
}
