#!/usr/bin/env node
/*
 * `npm run bench:purge`: the token tables' size under a large load of ended tokens, before and
 * after the housekeeping purge, on MySQL/MariaDB or PostgreSQL; how long the purge takes, its longest batch,
 * and the token endpoint's latency while it runs (do batches hold locks that requests wait on?).
 *
 * It builds the app, empties BENCH_DB, starts one instance (the housekeeping schedule off) and
 * seeds a user and a client through its API, then by SQL (bench/seed-tokens.mjs):
 *   BENCH_EXPIRED (500,000) PATs and as many access tokens that expired in 2020,
 *   BENCH_REVOKED (50,000) of each revoked in 2020 (PATs expiring 2099, access tokens an hour
 *   after their revocation: they live at most a day), and
 *   BENCH_LIVE (50,000) of each live.
 * Then: table sizes (information_schema after ANALYZE on MySQL, pg_relation_size and
 * pg_indexes_size on PostgreSQL, and exact counts), the purge queries' EXPLAIN, 10 s of token
 * requests as a baseline, the purge (HousekeepingService.runOnce in a child process, default batch
 * size) under the same token load, sizes after, OPTIMIZE TABLE (VACUUM FULL on PostgreSQL) and
 * sizes after it, and a second purge with nothing left to delete, with the purge indexes and
 * (dropped at the very end, for the comparison) without them.
 *
 * Variables: BENCH_DB=mysql://… or postgres://… (required; emptied), BENCH_EXPIRED, BENCH_REVOKED, BENCH_LIVE,
 * BENCH_NO_BUILD=1.
 */
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedStoredTokens } from './seed-tokens.mjs';
import { benchAppEnv, dbKindOf, emptyDatabase, freePort, load, pgClient, seedThroughApi, waitFor } from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DB = process.env.BENCH_DB;
const EXPIRED = Number(process.env.BENCH_EXPIRED ?? 500_000);
const REVOKED = Number(process.env.BENCH_REVOKED ?? 50_000);
const LIVE = Number(process.env.BENCH_LIVE ?? 50_000);
const TABLES = ['personal_access_tokens', 'oauth_access_tokens'];
const ENDED = '2020-01-01 00:00:00.000';

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
process.on('SIGINT', () => process.exit(130));
const out = (line = '') => process.stdout.write(`${line}\n`);
const mib = (bytes) => (bytes / 1048576).toFixed(1);

/** What the bench asks of the database, on MySQL/MariaDB. */
async function mysqlOps(url) {
  const mysql = (await import('mysql2/promise')).default;
  const conn = await mysql.createConnection({ uri: url });
  return {
    optimizeName: 'OPTIMIZE TABLE',
    async sizes() {
      for (const t of TABLES) await conn.query(`ANALYZE TABLE \`${t}\``);
      const [rows] = await conn.query(
        `SELECT table_name AS t, data_length AS data, index_length AS idx, data_free AS free
           FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)`,
        [TABLES],
      );
      const result = {};
      for (const r of rows) {
        const [[{ n }]] = await conn.query(`SELECT COUNT(*) AS n FROM \`${r.t}\``);
        result[r.t] = { rows: Number(n), data: Number(r.data), index: Number(r.idx), free: Number(r.free) };
      }
      return result;
    },
    async explain(t, c, cutoff) {
      const [[plan]] = await conn.query(`EXPLAIN SELECT id FROM \`${t}\` WHERE \`${c}\` < ? LIMIT 500`, [cutoff]);
      return `type ${plan.type}, key ${plan.key}, rows ~${plan.rows}`;
    },
    async optimize(t) {
      await conn.query(`OPTIMIZE TABLE \`${t}\``);
    },
    async dropPurgeIndexes() {
      const [indexes] = await conn.query(
        `SELECT DISTINCT table_name AS t, index_name AS i FROM information_schema.statistics
          WHERE table_schema = DATABASE() AND table_name IN (?) AND column_name IN ('expires_at', 'revoked_at')`,
        [TABLES],
      );
      for (const { t, i } of indexes) await conn.query(`DROP INDEX \`${i}\` ON \`${t}\``);
    },
    end: () => conn.end(),
  };
}

/** The same on PostgreSQL. "free" is not a size there: deleted rows stay as dead tuples until VACUUM. */
async function postgresOps(url) {
  const client = await pgClient(url);
  return {
    optimizeName: 'VACUUM FULL',
    async sizes() {
      const result = {};
      for (const t of TABLES) {
        await client.query(`ANALYZE "${t}"`);
        const { rows } = await client.query(
          `SELECT (SELECT COUNT(*) FROM "${t}") AS n, pg_relation_size($1::regclass) AS data, pg_indexes_size($1::regclass) AS idx,
                  (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = $2) AS dead`,
          [t, t],
        );
        const r = rows[0];
        result[t] = { rows: Number(r.n), data: Number(r.data), index: Number(r.idx), free: NaN, dead: Number(r.dead) };
      }
      return result;
    },
    async explain(t, c, cutoff) {
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) SELECT id FROM "${t}" WHERE "${c}" < $1 LIMIT 500`, [cutoff]);
      const limit = rows[0]['QUERY PLAN'][0].Plan;
      const scan = limit.Plans?.[0] ?? limit;
      return `${scan['Node Type']}${scan['Index Name'] ? ` on ${scan['Index Name']}` : ''}, rows ~${scan['Plan Rows']} (of the table's estimate)`;
    },
    async optimize(t) {
      await client.query(`VACUUM FULL "${t}"`);
    },
    async dropPurgeIndexes() {
      const { rows } = await client.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1)
            AND indexdef ~ '\\m(expires_at|revoked_at)\\M'`,
        [TABLES],
      );
      for (const { indexname } of rows) await client.query(`DROP INDEX "${indexname}"`);
    },
    end: () => client.end(),
  };
}

function printSizes(label, s) {
  const pg = Object.values(s).some((v) => Number.isNaN(v.free));
  out(
    `\n${label}\n| table | rows | data MiB | index MiB | data + index MiB | ${pg ? 'dead tuples' : 'free MiB'} |\n|---|---:|---:|---:|---:|---:|`,
  );
  for (const [t, v] of Object.entries(s))
    out(`| ${t} | ${v.rows} | ${mib(v.data)} | ${mib(v.index)} | ${mib(v.data + v.index)} | ${pg ? v.dead : mib(v.free)} |`);
}

/** HousekeepingService.runOnce() in a process of its own (the app's code, its configuration). */
function purgeOnce(env) {
  const code = `
    const { withApplicationContext } = require('./dist/src/cli/application-context.js');
    const { HousekeepingService } = require('./dist/src/housekeeping/housekeeping.service.js');
    withApplicationContext((app) => app.get(HousekeepingService).runOnce())
      .then((r) => { process.stdout.write(JSON.stringify(r)); process.exit(0); })
      .catch((e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], {
      cwd: ROOT,
      env: { ...env, DB_MIGRATIONS_RUN: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`purge exited ${code}`))));
  });
}

/** Token requests (10 connections) until `until` settles; latency percentiles. */
async function underLoad(opts, until) {
  const instance = autocannon({ ...opts, connections: 10, duration: 3600 });
  const done = new Promise((resolve) => instance.on('done', resolve));
  const value = await until;
  instance.stop();
  const r = await done;
  return {
    value,
    load: {
      issued: r['2xx'],
      reqPerSec: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx + r.errors,
    },
  };
}

async function main() {
  if (dbKindOf(DB) === 'sqlite') {
    console.error('BENCH_DB=mysql://… or postgres://… is required (its database is emptied)');
    process.exit(2);
  }
  if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
  await emptyDatabase(DB);
  const adminEmail = 'bench@example.test';
  const adminPassword = randomBytes(18).toString('base64url');
  const port = await freePort();
  const env = {
    ...benchAppEnv({ port, databaseUrl: DB, sessionKeys: randomBytes(32).toString('base64url'), adminEmail, adminPassword }),
    HOUSEKEEPING_INTERVAL_MINUTES: '0',
  };
  const app = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(app);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health/ready`);
  const { userId, client, clientAuth } = await seedThroughApi(base, adminEmail, adminPassword);

  let t0 = Date.now();
  const ids = { userId, clientId: client.clientId };
  await seedStoredTokens(DB, EXPIRED, { ...ids, expiresAt: ENDED });
  await seedStoredTokens(DB, REVOKED, { ...ids, revokedAt: ENDED });
  await seedStoredTokens(DB, LIVE, ids);
  out(`seeded ${2 * (EXPIRED + REVOKED + LIVE)} tokens (${2 * (EXPIRED + REVOKED)} ended) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const db = dbKindOf(DB) === 'postgres' ? await postgresOps(DB) : await mysqlOps(DB);
  const before = await db.sizes();
  printSizes('before the purge', before);

  out('\nEXPLAIN of the purge queries (SELECT id … WHERE <column> < cutoff LIMIT 500)');
  for (const t of TABLES) {
    for (const c of t === 'oauth_access_tokens' ? ['expires_at'] : ['expires_at', 'revoked_at']) {
      out(`  ${t}.${c}: ${await db.explain(t, c, new Date(Date.now() - 30 * 86_400_000))}`);
    }
  }

  const token = {
    url: `${base}/oauth/token`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: clientAuth },
    body: 'grant_type=client_credentials',
  };
  await load(token, 2, 10);
  const baseline = await underLoad(token, new Promise((r) => setTimeout(r, 10_000)));
  t0 = Date.now();
  const run = await underLoad(token, purgeOnce(env));
  const wallMs = Date.now() - t0;
  const after = await db.sizes();
  printSizes('after the purge', after);

  t0 = Date.now();
  for (const t of TABLES) await db.optimize(t);
  const optimizeMs = Date.now() - t0;
  const optimized = await db.sizes();
  printSizes(`after ${db.optimizeName} (${(optimizeMs / 1000).toFixed(1)} s for both)`, optimized);

  const empty = await purgeOnce(env);
  await db.dropPurgeIndexes();
  const emptyNoIndex = await purgeOnce(env);
  await db.end();

  const p = run.value;
  out(
    `\n(oauth_access_tokens also holds the ${baseline.load.issued + run.load.issued} live tokens the measured token load issued, plus its warm-up's)`,
  );
  out(
    `\npurge: ${Object.values(p.deleted).reduce((a, b) => a + b, 0)} rows deleted (${JSON.stringify(p.deleted)}), ${p.batches} batches of ≤ 500`,
  );
  out(
    `  duration ${(p.durationMs / 1000).toFixed(1)} s (process ${(wallMs / 1000).toFixed(1)} s), longest batch ${p.longestBatchMs} ms, mean ${(p.durationMs / p.batches).toFixed(0)} ms per batch incl. the 20 ms pause`,
  );
  out(
    `  token endpoint, 10 connections: before ${baseline.load.reqPerSec} req/s p50 ${baseline.load.p50} p99 ${baseline.load.p99} max ${baseline.load.max} ms; during the purge ${run.load.reqPerSec} req/s p50 ${run.load.p50} p99 ${run.load.p99} max ${run.load.max} ms${run.load.non2xx + baseline.load.non2xx ? `  NON-2XX ${baseline.load.non2xx}/${run.load.non2xx}` : ''}`,
  );
  out(
    `  a run with nothing left to delete: ${empty.durationMs} ms with the purge indexes, ${emptyNoIndex.durationMs} ms without them (${LIVE + REVOKED > 0 ? `${2 * LIVE} live rows` : ''})`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
