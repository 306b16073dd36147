#!/usr/bin/env node
/*
 * `npm run bench:scale`: requests per second of one Gatehouse instance against two, on one
 * MySQL/MariaDB database and one Redis, as a ratio measured in one run on this machine.
 *
 * It builds the app, starts two instances (production mode, rate limits off, REDIS_URL set) on
 * an emptied database, seeds a PAT and a client_credentials client through the API, then per
 * round and path: loads instance A alone with BENCH_CONNECTIONS connections, then A and B at
 * once with half the connections each (two autocannon runs in parallel, summed; the balancer
 * is left out so that it does not take a share of the cores). Instance B idles during the
 * one-instance phase, exactly as a second replica would. Each figure is the median of its
 * rounds; the ratio is the median of the per-round ratios. It also reports where the CPU went
 * (the instances, mysqld, redis, the load generator, everything else on the machine), since on
 * a small shared machine the cores, not the app, are usually the limit, and the requests per
 * second per core the instances used, two against one: near 1 means a second instance adds no
 * cost per request (no contention on the shared database or Redis), so N instances scale with
 * the cores they get.
 *
 * Variables:
 *   BENCH_DB=mysql://root@127.0.0.1:3306/gh_bench_scale   required; that database is emptied
 *   BENCH_REDIS=redis://127.0.0.1:6379/8                  required; the db is flushed
 *   BENCH_DURATION=8   seconds per measurement (after a 2 s warm-up)
 *   BENCH_ROUNDS=3
 *   BENCH_CONNECTIONS=50
 *   BENCH_NO_BUILD=1   skip `nest build`
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAppEnv, emptyMysql, freePort, load, median, seedThroughApi, waitFor } from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DB = process.env.BENCH_DB;
const REDIS = process.env.BENCH_REDIS;

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
process.on('SIGINT', () => process.exit(130));

/** CPU seconds a process has used (utime + stime), 0 if it cannot be read. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores). */
function machineSeconds() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + (cpu[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

function pidsOf(name) {
  try {
    return execFileSync('pidof', [name], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Where the CPU went while `run` ran, in cores (1.0 = one core busy the whole time). */
async function withCpu(groups, run) {
  const sample = () => ({
    groups: Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, pids.reduce((a, p) => a + cpuSeconds(p), 0)])),
    self: process.cpuUsage(),
    machine: machineSeconds(),
    at: process.hrtime.bigint(),
  });
  const a = sample();
  const result = await run();
  const b = sample();
  const wall = Number(b.at - a.at) / 1e9;
  const cores = Object.fromEntries(Object.keys(groups).map((k) => [k, (b.groups[k] - a.groups[k]) / wall]));
  cores.loadgen = (b.self.user - a.self.user + b.self.system - a.self.system) / 1e6 / wall;
  const busy = (b.machine.busy - a.machine.busy) / wall;
  cores.other = Math.max(0, busy - Object.values(cores).reduce((x, y) => x + y, 0));
  cores.machine = busy;
  return { result, cores };
}

async function startInstance(port, env) {
  const proc = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: { ...env, REDIS_URL: REDIS },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(proc);
  await waitFor(`http://127.0.0.1:${port}/health/ready`);
  return proc;
}

async function main() {
  if (!DB?.startsWith('mysql://') || !REDIS?.startsWith('redis://')) {
    console.error('BENCH_DB=mysql://… and BENCH_REDIS=redis://… are required (N instances share MySQL and Redis)');
    process.exit(2);
  }
  if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
  await emptyMysql(DB);
  const Redis = (await import('ioredis')).default;
  const redis = new Redis(REDIS);
  await redis.flushdb();
  const redisPids = [...pidsOf('redis-server')];
  redis.disconnect();

  const adminEmail = 'bench@example.test';
  const adminPassword = randomBytes(18).toString('base64url');
  const sessionKeys = randomBytes(32).toString('base64url');
  const [portA, portB] = await Promise.all([freePort(), freePort()]);
  const env = (port) => benchAppEnv({ port, databaseUrl: DB, sessionKeys, adminEmail, adminPassword });
  // A first (it migrates and creates the admin), then B on the migrated database.
  const a = await startInstance(portA, env(portA));
  const b = await startInstance(portB, env(portB));
  const urlA = `http://127.0.0.1:${portA}`;
  const urlB = `http://127.0.0.1:${portB}`;
  const { pat, clientAuth } = await seedThroughApi(urlA, adminEmail, adminPassword);

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const paths = [
    { id: 'me.pat', path: '/me', headers: { authorization: `Bearer ${pat}` } },
    {
      id: 'token',
      path: '/oauth/token',
      method: 'POST',
      headers: { ...form, authorization: clientAuth },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read:device' }).toString(),
    },
  ];
  const groups = { instances: [a.pid, b.pid], mysqld: [...pidsOf('mariadbd'), ...pidsOf('mysqld')], redis: redisPids };
  const opts = (p, base) => ({ url: base + p.path, method: p.method ?? 'GET', headers: p.headers, body: p.body });
  const summary = (rs) => ({
    reqPerSec: Math.round(rs.reduce((x, r) => x + r.requests.average, 0)),
    non2xx: rs.reduce((x, r) => x + r.non2xx + r.errors + r.timeouts, 0),
    p99: Math.max(...rs.map((r) => r.latency.p99)),
  });

  const runs = Object.fromEntries(paths.map((p) => [p.id, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const p of paths) {
      await load(opts(p, urlA), 2, CONNECTIONS);
      const one = await withCpu(groups, async () => summary([await load(opts(p, urlA), DURATION, CONNECTIONS)]));
      await Promise.all([load(opts(p, urlA), 2, CONNECTIONS / 2), load(opts(p, urlB), 2, CONNECTIONS / 2)]);
      const two = await withCpu(groups, async () =>
        summary(await Promise.all([load(opts(p, urlA), DURATION, CONNECTIONS / 2), load(opts(p, urlB), DURATION, CONNECTIONS / 2)])),
      );
      // Requests per second per core the instances used: on a shared machine the instances get
      // what the others leave them; this ratio says whether a second instance costs more per request.
      const perCore = (x) => x.result.reqPerSec / x.cores.instances;
      runs[p.id].push({ one, two, ratio: two.result.reqPerSec / one.result.reqPerSec, perCoreRatio: perCore(two) / perCore(one) });
      const cpu = (c) =>
        Object.entries(c.cores)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ');
      process.stdout.write(`round ${round} ${p.id.padEnd(8)} 1 instance ${String(one.result.reqPerSec).padStart(6)} req/s [${cpu(one)}]\n`);
      process.stdout.write(
        `round ${round} ${p.id.padEnd(8)} 2 instances ${String(two.result.reqPerSec).padStart(5)} req/s [${cpu(two)}]  ratio ${(two.result.reqPerSec / one.result.reqPerSec).toFixed(2)}\n`,
      );
      if (one.result.non2xx || two.result.non2xx)
        process.stdout.write(`  WARNING: non-2xx or errors: ${one.result.non2xx} / ${two.result.non2xx}\n`);
    }
  }

  const cores = (rs, phase, k) => median(rs.map((r) => r[phase].cores[k])).toFixed(2);
  process.stdout.write(
    `\nGatehouse scale bench: MariaDB/MySQL + Redis, ${CONNECTIONS} connections in all, median of ${ROUNDS} rounds of ${DURATION} s\n\n`,
  );
  process.stdout.write(
    '| path | 1 instance req/s | 2 instances req/s | ratio | req/s per app core, 2 / 1 | CPU cores used, 1 → 2 instances: app, mysqld, redis, load generator, other |\n|---|---:|---:|---:|---:|---|\n',
  );
  for (const [id, rs] of Object.entries(runs)) {
    const c = (k) => `${cores(rs, 'one', k)} → ${cores(rs, 'two', k)}`;
    process.stdout.write(
      `| ${id} | ${median(rs.map((r) => r.one.result.reqPerSec))} | ${median(rs.map((r) => r.two.result.reqPerSec))} | ${median(rs.map((r) => r.ratio)).toFixed(2)} | ${median(rs.map((r) => r.perCoreRatio)).toFixed(2)} | ${['instances', 'mysqld', 'redis', 'loadgen', 'other'].map(c).join('; ')} |\n`,
    );
  }
  process.stdout.write(
    `\nmachine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
