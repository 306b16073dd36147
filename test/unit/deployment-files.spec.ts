import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppConfig } from '../../src/configuration';
// js-yaml (a dev dependency; also under @nestjs/swagger): parsing YAML is all this needs.
import * as yaml from 'js-yaml';

/* No Docker here: these checks parse docker-compose.yml and read the Dockerfile, so that a moved
 * entry point or a broken environment block fails a test rather than someone's first deploy. */

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number | null>;
  healthcheck?: { test: string[] };
  ports?: string[];
}

const compose = yaml.load(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
const dockerfile = read('Dockerfile');

/** Compose's ${VAR:-default} and ${VAR:?error} interpolation, and pass-through of valueless keys. */
function containerEnv(service: ComposeService, shell: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(service.environment ?? {})) {
    if (raw === null) {
      if (shell[key] !== undefined) out[key] = shell[key];
      continue;
    }
    out[key] = String(raw).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
      const value = shell[name];
      if (value) return value;
      if (op === '?') throw new Error(`required variable ${name}: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    });
  }
  return out;
}

describe('docker-compose.yml', () => {
  const { mysql, redis, app1, app2, proxy } = compose.services;
  const app = app1;

  it('runs MySQL 8, Redis 7, two Gatehouse instances and a reverse proxy, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app1', 'app2', 'mysql', 'proxy', 'redis']);
    expect(mysql.image).toMatch(/^mysql:8(\.|$)/);
    expect(redis.image).toMatch(/^redis:7(\.|-|$)/);
    expect(proxy.image).toMatch(/^caddy:2/);
    expect(app2).toEqual(app1);
    expect(app.build).toBe('.');
    expect(app.depends_on).toEqual({ mysql: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(mysql.healthcheck?.test.join(' ')).toContain('mysqladmin ping');
    expect(redis.healthcheck?.test.join(' ')).toContain('redis-cli ping');
    expect(app.healthcheck?.test.join(' ')).toContain('/health/ready');
    expect(proxy.healthcheck?.test.join(' ')).toContain('/health');
  });

  it('publishes only the proxy, on 127.0.0.1, and the proxy balances over both instances by readiness', () => {
    expect(proxy.ports).toEqual(['127.0.0.1:3000:80']);
    for (const s of [mysql, redis, app1, app2]) expect(s.ports).toBeUndefined();
    const caddyfile = read('deploy/Caddyfile');
    expect(caddyfile).toMatch(/reverse_proxy app1:3000 app2:3000/);
    expect(caddyfile).toMatch(/health_uri \/health\/ready/);
  });

  it('gives the instances a valid production configuration once SESSION_KEYS is set: MySQL, Redis, behind the proxy', () => {
    const env = containerEnv(app, { SESSION_KEYS: randomBytes(32).toString('base64url') });
    const config = loadAppConfig(env);
    expect(config.env).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ type: 'mysql', url: 'mysql://gatehouse:gatehouse@mysql:3306/gatehouse' });
    expect(config.redisUrl).toBe('redis://redis:6379/0');
    expect(config.trustProxy).toBe(true);
    expect(config.shutdownGraceMs).toBe(5000);
    expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    // The app logs in with the account the MySQL container creates, whatever MYSQL_PASSWORD says.
    const db = containerEnv(mysql, { MYSQL_PASSWORD: 'p4ss' });
    const url = new URL(containerEnv(app, { SESSION_KEYS: 'x', MYSQL_PASSWORD: 'p4ss' }).DATABASE_URL);
    expect([url.username, url.password, url.pathname]).toEqual([db.MYSQL_USER, 'p4ss', `/${db.MYSQL_DATABASE}`]);
    expect(config.bootstrapAdmin).toBeUndefined();
  });

  it('refuses to start without SESSION_KEYS, saying how to make one', () => {
    expect(() => containerEnv(app, {})).toThrow(/SESSION_KEYS.*key:generate/);
  });

  it('passes BOOTSTRAP_ADMIN_* through only when set (an empty value would fail validation)', () => {
    const keys = randomBytes(32).toString('base64url');
    expect(containerEnv(app, { SESSION_KEYS: keys })).not.toHaveProperty('BOOTSTRAP_ADMIN_EMAIL');
    const env = containerEnv(app, {
      SESSION_KEYS: keys,
      BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'a long admin password',
    });
    expect(loadAppConfig(env).bootstrapAdmin?.email).toBe('ops@example.com');
  });
});

describe('docker-compose.postgres.yml', () => {
  const pg = yaml.load(read('docker-compose.postgres.yml')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const { postgres, redis, app1, app2, proxy } = pg.services;

  it('is the MySQL file with PostgreSQL 17 in place of MySQL: same instances, proxy and Redis, and the database on its own volume', () => {
    expect(Object.keys(pg.services).sort()).toEqual(['app1', 'app2', 'postgres', 'proxy', 'redis']);
    expect(postgres.image).toMatch(/^postgres:17(\.|-|$)/);
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready -h 127.0.0.1');
    expect(Object.keys(pg.volumes)).toEqual(['postgres-data']);
    expect(app2).toEqual(app1);
    expect(app1.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(redis).toEqual(compose.services.redis);
    expect(proxy).toEqual(compose.services.proxy);
    const { DATABASE_URL, DB_POOL_SIZE, ...rest } = app1.environment ?? {};
    const { DATABASE_URL: mysqlUrl, ...mysqlRest } = compose.services.app1.environment ?? {};
    expect([DATABASE_URL, mysqlUrl, DB_POOL_SIZE]).toEqual([
      expect.stringMatching(/^postgres:\/\//),
      expect.stringMatching(/^mysql:\/\//),
      10,
    ]);
    expect({ ...rest, SESSION_KEYS: '' }).toEqual({ ...mysqlRest, SESSION_KEYS: '' });
  });

  it('gives the instances a valid production configuration on PostgreSQL, logging in with the account the container creates', () => {
    const env = containerEnv(app1, { SESSION_KEYS: randomBytes(32).toString('base64url'), POSTGRES_PASSWORD: 'p4ss' });
    const config = loadAppConfig(env);
    expect(config.env).toBe('production');
    expect(config.database).toMatchObject({ type: 'postgres', url: 'postgres://gatehouse:p4ss@postgres:5432/gatehouse', poolSize: 10 });
    const db = containerEnv(postgres, { POSTGRES_PASSWORD: 'p4ss' });
    const url = new URL(env.DATABASE_URL);
    expect([url.username, url.password, url.pathname]).toEqual([db.POSTGRES_USER, db.POSTGRES_PASSWORD, `/${db.POSTGRES_DB}`]);
    expect(() => containerEnv(app1, {})).toThrow(/SESSION_KEYS.*key:generate/);
  });
});

describe('Dockerfile', () => {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds and runs on a supported Node LTS image (node:24-slim; Node 20 reached end of life) as a non-root user with production dependencies', () => {
    expect(dockerfile).toMatch(/FROM node:24-slim AS build/);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/nest build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/^\nFROM node:24-slim AS runtime/);
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    expect(runtime).toMatch(/COPY views \.\/views/);
    expect(runtime).toMatch(/COPY public \.\/public/);
  });

  it('starts the compiled server, and names the compiled CLI, where the build puts them', () => {
    const nestCli = JSON.parse(read('nest-cli.json')) as { entryFile: string };
    expect(runtime).toContain(`CMD ["node", "dist/${nestCli.entryFile}.js"]`);
    expect(existsSync(join(ROOT, `${nestCli.entryFile}.ts`))).toBe(true);
    expect(dockerfile).toContain('node dist/src/cli/cli.js');
    expect(existsSync(join(ROOT, 'src/cli/cli.ts'))).toBe(true);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'data', 'node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});
