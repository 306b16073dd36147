import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { HttpClient } from '../../e2e/support/http-client';

const ROOT = join(__dirname, '..', '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

/** Keys every instance of a test shares, as a deployment would (cookies made on A open on B). */
export const SHARED_SESSION_KEY = Buffer.alloc(32, 'scale-out').toString('base64url');

/** The MariaDB (or PostgreSQL) server the scale tests use (DATABASE_URL's), and the Redis db they may use (6). */
export const MYSQL_SERVER = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/gh_scale_out';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/6';

/**
 * The URL of a test file's own database on the same server: DATABASE_URL's database name with
 * `_<suffix>` (gh_scale_ci → gh_scale_ci_outage), so two runs on different databases of one
 * server (CI and a developer) never drop each other's.
 */
export function databaseUrl(suffix: string): string {
  const url = new URL(MYSQL_SERVER);
  url.pathname = `/${url.pathname.slice(1)}_${suffix}`;
  return url.toString();
}

/** Drops and creates that database, empty (the instances migrate it): MariaDB/MySQL or PostgreSQL. */
export async function freshDatabase(suffix: string): Promise<string> {
  const url = databaseUrl(suffix);
  const name = new URL(url).pathname.slice(1);
  if (/^postgres(ql)?:/.test(MYSQL_SERVER)) {
    const client = new PgClient({ connectionString: MYSQL_SERVER });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    return url;
  }
  const conn = await createConnection({ uri: MYSQL_SERVER });
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.query(`CREATE DATABASE \`${name}\``);
  await conn.end();
  return url;
}

/** Rows of one statement written with `?` placeholders, on the database at `url` (MySQL or PostgreSQL). */
export async function queryRows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (/^postgres(ql)?:/.test(url)) {
    let n = 0;
    const client = new PgClient({ connectionString: url });
    await client.connect();
    try {
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows as T[];
    } finally {
      await client.end();
    }
  }
  const conn = await createConnection({ uri: url });
  try {
    return (await conn.query(sql, params))[0] as T[];
  } finally {
    await conn.end();
  }
}

/** Empties the Redis db of the tests (only that db). */
export async function flushTestRedis(): Promise<void> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  await r.flushdb();
  r.disconnect();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts several instances at once; if one fails, stops the others before throwing. */
export async function startInstances(envs: Record<string, string>[]): Promise<Instance[]> {
  const results = await Promise.allSettled(envs.map((env) => startInstance(env)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const started = results.filter((r): r is PromiseFulfilledResult<Instance> => r.status === 'fulfilled').map((r) => r.value);
  if (failed) {
    await Promise.all(started.map((i) => i.stop('SIGKILL')));
    throw failed.reason;
  }
  return started;
}

export interface Instance {
  url: string;
  http: HttpClient;
  /** `http` shaped like the e2e TestApp for HTTP-only fixtures. */
  app: { http: HttpClient; baseUrl: string };
  process: ChildProcess;
  output(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a real Gatehouse server process (src/main.ts under ts-node, exactly what `npm start`
 * runs once compiled) and waits until /health answers.
 */
export async function startInstance(env: Record<string, string>, timeoutMs = 120_000): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [TS_NODE, '--transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: 'http://127.0.0.1',
      SESSION_KEYS: SHARED_SESSION_KEY,
      PASSWORD_SCRYPT_LOG_N: '12',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`instance exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`instance did not start within ${timeoutMs} ms:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const http = new HttpClient(url);
  return {
    url,
    http,
    app: { http, baseUrl: url },
    process: child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}
