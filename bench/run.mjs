#!/usr/bin/env node
/*
 * `npm run bench`: the hot paths of Gatehouse as ratios to their limits, in one run on this machine.
 *
 * It starts three servers (the built app, a bare Fastify hello server, node-oidc-provider in memory),
 * seeds a user, a PAT, a device, a client and an access token through Gatehouse's own API, then loads
 * one server at a time with autocannon and prints req/s, p50/p99 and the goals P0-P4 of
 * docs/performance.md. The JSON result goes to bench/results/latest-<db>.json.
 *
 * Variables:
 *   BENCH_DB=mysql://root@127.0.0.1:3306/gh_bench   MySQL/MariaDB (the database is emptied first)
 *   BENCH_DB=postgres://postgres@127.0.0.1:5432/gh_bench   PostgreSQL (its public schema is emptied first)
 *   BENCH_DURATION=5      seconds per path and round (after a 2 s warm-up)
 *   BENCH_ROUNDS=3        rounds over all paths; each figure is the median of its rounds
 *   BENCH_CONNECTIONS=50
 *   BENCH_SEED=1000000    also store that many PATs and access tokens (P5)
 *   BENCH_SOAK=600        then run mixed traffic for that many seconds and compare RSS (P6)
 *   BENCH_ONLY=health,me.pat   run only these paths (comma-separated ids)
 *   BENCH_NO_BUILD=1      skip `nest build`
 *   BENCH_PROFILE=1       run the app under --cpu-prof; bench/profile-top.mjs prints where time went
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedStoredTokens } from './seed-tokens.mjs';
import {
  api,
  basic,
  benchAppEnv,
  dbKindOf,
  emptyDatabase,
  freePort,
  load as loadFor,
  median,
  rssKiB,
  seedThroughApi,
  waitFor,
} from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SEED = Number(process.env.BENCH_SEED ?? 0);
const SOAK = Number(process.env.BENCH_SOAK ?? 0);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const DB = process.env.BENCH_DB;
const dbKind = dbKindOf(DB);

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
process.on('SIGINT', () => process.exit(130));

function startModule(file, env) {
  const child = fork(join(ROOT, 'bench', file), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return child;
}

function load(opts, duration = DURATION) {
  return loadFor(opts, duration, CONNECTIONS);
}

async function main() {
  if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });

  const [appPort, barePort, oidcPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  if (DB && dbKind !== 'sqlite') await emptyDatabase(DB);
  const databaseUrl = DB ?? `sqlite:${join(work, 'bench.sqlite')}`;
  const app = `http://127.0.0.1:${appPort}`;
  const adminEmail = 'bench@example.test';
  const adminPassword = randomBytes(18).toString('base64url');
  const oidcSecret = randomBytes(24).toString('base64url');

  const profileDir = join(ROOT, 'bench/results/profile');
  const nodeArgs = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const appProc = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: benchAppEnv({ port: appPort, databaseUrl, sessionKeys: randomBytes(32).toString('base64url'), adminEmail, adminPassword }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(appProc);
  startModule('bare-fastify.mjs', { PORT: String(barePort) });
  startModule('oidc-provider.mjs', { PORT: String(oidcPort), CLIENT_SECRET: oidcSecret });
  await Promise.all([waitFor(`${app}/health/ready`), waitFor(`http://127.0.0.1:${barePort}/health`)]);
  await waitFor(`http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`);

  // Seed through the API, as a user would.
  const { cookie, userId, pat, identityToken, client, clientAuth } = await seedThroughApi(app, adminEmail, adminPassword);
  await api(app, '/devices', { method: 'POST', headers: { authorization: `Bearer ${pat}` }, body: { name: 'bench device' } });
  const tokenForm = new URLSearchParams({ grant_type: 'client_credentials', scope: 'read:device' }).toString();
  const accessToken = (
    await api(app, '/oauth/token', {
      method: 'POST',
      headers: { authorization: clientAuth },
      form: { grant_type: 'client_credentials', scope: 'read:device' },
    })
  ).json.access_token;
  const oidcAuth = basic('bench', oidcSecret);
  const oidc = `http://127.0.0.1:${oidcPort}`;
  const oidcToken = (
    await api(oidc, '/token', {
      method: 'POST',
      headers: { authorization: oidcAuth },
      form: { grant_type: 'client_credentials', scope: 'read:device' },
    })
  ).json.access_token;

  if (SEED > 0) {
    process.stdout.write(`seeding ${SEED} PATs and ${SEED} access tokens…\n`);
    const t0 = Date.now();
    await seedStoredTokens(databaseUrl, SEED, { userId, clientId: client.clientId });
    process.stdout.write(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const paths = [
    { id: 'bare.health', server: 'bare', url: `http://127.0.0.1:${barePort}/health` },
    { id: 'health', url: `${app}/health` },
    { id: 'me.pat', url: `${app}/me`, headers: { authorization: `Bearer ${pat}` } },
    { id: 'me.oauth', url: `${app}/me`, headers: { authorization: `Bearer ${accessToken}` } },
    { id: 'me.cookie', url: `${app}/me`, headers: { cookie } },
    { id: 'userinfo', url: `${app}/oauth/userinfo`, headers: { authorization: `Bearer ${identityToken}` } },
    { id: 'devices.pat', url: `${app}/devices?limit=20`, headers: { authorization: `Bearer ${pat}` } },
    { id: 'devices.oauth', url: `${app}/devices?limit=20`, headers: { authorization: `Bearer ${accessToken}` } },
    { id: 'token', url: `${app}/oauth/token`, method: 'POST', headers: { ...form, authorization: clientAuth }, body: tokenForm },
    {
      id: 'oidc.token',
      server: 'oidc',
      url: `${oidc}/token`,
      method: 'POST',
      headers: { ...form, authorization: oidcAuth },
      body: tokenForm,
    },
    {
      id: 'introspect',
      url: `${app}/oauth/introspect`,
      method: 'POST',
      headers: { ...form, authorization: clientAuth },
      body: new URLSearchParams({ token: accessToken }).toString(),
    },
    {
      id: 'oidc.introspect',
      server: 'oidc',
      url: `${oidc}/token/introspection`,
      method: 'POST',
      headers: { ...form, authorization: oidcAuth },
      body: new URLSearchParams({ token: oidcToken }).toString(),
    },
  ];

  // Every path once per round, rounds one after another: on a shared machine the load drifts
  // over minutes, so each path's median over the rounds is compared, not one sample.
  const runs = {};
  const active = [];
  for (const p of paths) {
    if (ONLY && !ONLY.has(p.id)) continue;
    // Once more on a fresh connection if the server closed an idle pooled one (long seeding).
    const send = () => fetch(p.url, { method: p.method ?? 'GET', headers: p.headers, body: p.body });
    const probe = await send().catch(send);
    await probe.arrayBuffer();
    if (!probe.ok) {
      process.stdout.write(`${p.id}: skipped (${probe.status} on a probe request)\n`);
      continue;
    }
    active.push(p);
    runs[p.id] = [];
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const p of active) {
      const opts = { url: p.url, method: p.method ?? 'GET', headers: p.headers, body: p.body };
      await load(opts, 2);
      const r = await load(opts);
      runs[p.id].push({
        reqPerSec: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      });
      process.stdout.write(
        `round ${round} ${p.id.padEnd(16)} ${String(Math.round(r.requests.average)).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms${r.non2xx ? `  NON-2XX ${r.non2xx}` : ''}\n`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const results = {};
  for (const [id, rs] of Object.entries(runs)) {
    results[id] = {
      reqPerSec: median(rs.map((r) => r.reqPerSec)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      rounds: rs.map((r) => r.reqPerSec),
    };
  }

  // A ratio is the median of the per-round ratios: the two paths of a round ran minutes apart at most.
  const rate = (a, b) => (results[a] && results[b] ? median(results[a].rounds.map((x, i) => x / results[b].rounds[i])) : undefined);
  const goals = [
    ['P0', 'health / bare Fastify', rate('health', 'bare.health'), 0.4],
    ['P1', 'me by PAT / health', rate('me.pat', 'health'), 0.8],
    ['P1', 'me by OAuth token / health', rate('me.oauth', 'health'), 0.8],
    ['P1', 'me by session cookie / health', rate('me.cookie', 'health'), 0.8],
    ['P1', 'userinfo (openid profile email) / health', rate('userinfo', 'health'), 0.8],
    ['P1b', 'devices by PAT / health', rate('devices.pat', 'health'), 0.5],
    ['P1b', 'devices by OAuth token / health', rate('devices.oauth', 'health'), 0.5],
    ['P2', 'token (client_credentials) / node-oidc-provider', rate('token', 'oidc.token'), 2],
    ['P3', 'introspection / node-oidc-provider', rate('introspect', 'oidc.introspect'), 2],
  ];
  const appPaths = Object.keys(results).filter((k) => !k.includes('.') || k.startsWith('me.') || k.startsWith('devices.'));
  const worstP99 = Math.max(...appPaths.map((k) => results[k].p99));

  let soak;
  if (SOAK > 0) {
    process.stdout.write(`soak: ${SOAK} s of mixed traffic…\n`);
    const requests = [paths[2], paths[3], paths[5], paths[7], paths[9]].map((p) => ({
      method: p.method ?? 'GET',
      path: new URL(p.url).pathname + new URL(p.url).search,
      headers: p.headers,
      body: p.body,
    }));
    let rssAt60;
    const timer = setTimeout(() => (rssAt60 = rssKiB(appProc.pid)), 60_000);
    await load({ url: app, requests }, SOAK);
    clearTimeout(timer);
    const rssEnd = rssKiB(appProc.pid);
    soak = { seconds: SOAK, rssAt60KiB: rssAt60, rssEndKiB: rssEnd, growth: rssAt60 ? rssEnd / rssAt60 - 1 : undefined };
  }

  process.stdout.write(
    `\nGatehouse bench: ${dbKind}, ${CONNECTIONS} connections, median of ${ROUNDS} rounds of ${DURATION} s per path${SEED ? `, ${SEED} stored PATs and access tokens` : ''}\n\n`,
  );
  process.stdout.write('| path | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n');
  for (const [id, r] of Object.entries(results)) process.stdout.write(`| ${id} | ${r.reqPerSec} | ${r.p50} | ${r.p99} |\n`);
  process.stdout.write('\n| goal | ratio | target | met |\n|---|---:|---:|---|\n');
  for (const [g, label, value, target] of goals) {
    if (value === undefined) continue;
    process.stdout.write(`| ${g} ${label} | ${value.toFixed(2)} | ≥ ${target} | ${value >= target ? 'yes' : 'NO'} |\n`);
  }
  process.stdout.write(
    `| P4 worst p99 of Gatehouse paths | ${worstP99} ms | ≤ 10 ms${dbKind === 'sqlite' ? '' : ' (SQLite goal)'} | ${worstP99 <= 10 ? 'yes' : 'NO'} |\n`,
  );
  if (soak?.growth !== undefined) {
    process.stdout.write(
      `| P6 RSS after ${SOAK} s / after 60 s | ${(1 + soak.growth).toFixed(3)} | ≤ 1.10 | ${soak.growth <= 0.1 ? 'yes' : 'NO'} |\n`,
    );
  }
  const failed = Object.entries(results).filter(([, r]) => r.non2xx > 0 || r.errors > 0);
  if (failed.length)
    process.stdout.write(`\nWARNING: non-2xx or errors on ${failed.map(([k]) => k).join(', ')}: those figures are not valid\n`);

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, `bench/results/latest-${dbKind}.json`);
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        db: dbKind,
        node: process.version,
        durationSeconds: DURATION,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        seeded: SEED,
        results,
        goals: goals.map(([g, label, value, target]) => ({ goal: g, label, value, target })),
        worstP99,
        soak,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\nJSON: ${out}\n`);
  rmSync(work, { recursive: true, force: true });
  if (process.env.BENCH_PROFILE) {
    // A clean shutdown writes the profile.
    await new Promise((resolve) => {
      appProc.once('exit', resolve);
      appProc.kill('SIGTERM');
    });
    process.stdout.write(`CPU profile: ${profileDir} (node bench/profile-top.mjs ${profileDir})\n`);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
