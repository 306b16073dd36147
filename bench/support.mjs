// Helpers shared by the benches (bench/run.mjs, bench/scale.mjs, bench/purge.mjs).
import autocannon from 'autocannon';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor(url, ms = 90_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** Drops every table of the database `url` names (the bench's own database only). */
export async function emptyMysql(url) {
  const mysql = (await import('mysql2/promise')).default;
  const conn = await mysql.createConnection({ uri: url });
  const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()');
  await conn.query('SET FOREIGN_KEY_CHECKS = 0');
  for (const { t } of rows) await conn.query(`DROP TABLE IF EXISTS \`${t}\``);
  await conn.query('SET FOREIGN_KEY_CHECKS = 1');
  await conn.end();
}

export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url ?? '');

/** 'mysql', 'postgres' or 'sqlite' (no BENCH_DB, or a sqlite: URL). */
export function dbKindOf(url) {
  if (url?.startsWith('mysql://')) return 'mysql';
  return isPostgresUrl(url) ? 'postgres' : 'sqlite';
}

/** A connected node-postgres client for `url`, its session in UTC (the app stores UTC instants). */
export async function pgClient(url) {
  const { Client } = (await import('pg')).default;
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  return client;
}

/** Drops everything in the public schema of the database `url` names (the bench's own database only). */
export async function emptyPostgres(url) {
  const client = await pgClient(url);
  await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
  await client.end();
}

/** Empties a MySQL/MariaDB or PostgreSQL BENCH_DB; a SQLite bench starts from a fresh file anyway. */
export async function emptyDatabase(url) {
  const kind = dbKindOf(url);
  if (kind === 'mysql') await emptyMysql(url);
  else if (kind === 'postgres') await emptyPostgres(url);
}

/** One API call; throws on a non-2xx answer. */
export async function api(base, path, { method = 'GET', headers = {}, body, form } = {}) {
  const h = { ...headers };
  let payload;
  if (form) {
    h['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(base + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export function basic(id, secret) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** One autocannon run. */
export function load(opts, duration, connections) {
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export function rssKiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]);
}

/**
 * Signs in the bootstrap admin and creates what the benches load with: a PAT (read/write:device)
 * and a confidential client_credentials client. Through the API, as a user would.
 */
export async function seedThroughApi(app, adminEmail, adminPassword) {
  const same = { origin: app, 'sec-fetch-site': 'same-origin' };
  const login = await api(app, '/auth/login', { method: 'POST', headers: same, body: { email: adminEmail, password: adminPassword } });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const userId = login.json.user.id;
  const withCookie = { ...same, cookie };
  const pat = (
    await api(app, '/account/tokens', {
      method: 'POST',
      headers: withCookie,
      body: { name: 'bench', scopes: ['read:device', 'write:device'], expiresInDays: 30 },
    })
  ).json.token;
  // UserInfo (OpenID Connect Core §5.3) with what an app holds: an access token of the code flow
  // with `openid profile email` (identity scopes are refused on API keys).
  const identityToken = await identityAccessToken(app, withCookie, userId);
  const client = (
    await api(app, '/admin/clients', {
      method: 'POST',
      headers: withCookie,
      body: {
        name: 'bench',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: ['read:device'],
        ownerId: userId,
        introspectionAllowed: true,
      },
    })
  ).json;
  return { cookie, userId, pat, identityToken, client, clientAuth: basic(client.clientId, client.clientSecret) };
}

/** Signs the admin in to a bench app through the code flow (authorize, consent, token): its access token. */
async function identityAccessToken(app, withCookie, userId) {
  const redirectUri = 'http://127.0.0.1:9/callback';
  const rp = (
    await api(app, '/admin/clients', {
      method: 'POST',
      headers: withCookie,
      body: { name: 'bench sign-in', type: 'public', redirectUris: [redirectUri], scopes: ['openid', 'profile', 'email'], ownerId: userId },
    })
  ).json;
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: rp.clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const consent = await fetch(`${app}/oauth/authorize?${query}`, { headers: { cookie: withCookie.cookie }, redirect: 'manual' });
  const page = await consent.text();
  const form = /<form method="post" action="\/oauth\/consent">([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no consent page: ${consent.status} ${page.slice(0, 200)}`);
  const fields = new URLSearchParams({ decision: 'approve' });
  const unescape = (v) =>
    v
      .replace(/&#x3D;/g, '=')
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  for (const m of form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1], unescape(m[2]));
  const approved = await fetch(`${app}/oauth/consent`, {
    method: 'POST',
    // No sec-fetch-site: a same-origin form post is answered with a page that moves on by itself.
    headers: { origin: app, cookie: withCookie.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  const code = new URL(approved.headers.get('location') ?? 'http://x/', app).searchParams.get('code');
  if (!code) throw new Error(`no code: ${approved.status} ${approved.headers.get('location')}`);
  const tokens = await api(app, '/oauth/token', {
    method: 'POST',
    form: { grant_type: 'authorization_code', code, client_id: rp.clientId, redirect_uri: redirectUri, code_verifier: verifier },
  });
  return tokens.json.access_token;
}

/** The environment of a Gatehouse bench instance: production mode, no rate limits in the way. */
export function benchAppEnv({ port, databaseUrl, sessionKeys, adminEmail, adminPassword }) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    SESSION_KEYS: sessionKeys,
    COOKIE_SECURE: 'false',
    BOOTSTRAP_ADMIN_EMAIL: adminEmail,
    BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE: '0',
    TOKEN_RATE_LIMIT_PER_CLIENT: '1000000000',
    TOKEN_RATE_LIMIT_PER_IP: '1000000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
}
