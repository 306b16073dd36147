import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, parseDatabaseUrl } from '../../src/config/app-config';
import { loadAppConfig } from '../../src/configuration';

const key = () => randomBytes(32).toString('base64url');

/** The error message loadAppConfig throws for `env`. */
function problemsWith(env: NodeJS.ProcessEnv): string {
  try {
    loadAppConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadAppConfig', () => {
  describe('defaults (an empty environment starts in development)', () => {
    const config = loadAppConfig({});

    it('listens on 127.0.0.1:3000 with the embedded SQLite database, applying migrations', () => {
      expect(config).toMatchObject({
        env: 'development',
        port: 3000,
        host: '127.0.0.1',
        publicUrl: 'http://localhost:3000',
        issuer: 'http://localhost:3000',
        database: { type: 'sqlite', path: 'data/gatehouse.sqlite' },
        migrationsRun: true,
        logLevel: 'info',
        trustProxy: false,
        bodyLimitBytes: 1024 * 1024,
      });
    });

    it('generates a session key (and says so) and hardens the cookie', () => {
      expect(config.session.keysGenerated).toBe(true);
      expect(config.session.keys).toHaveLength(1);
      expect(config.session.keys[0]).toHaveLength(32);
      expect(config.session).toMatchObject({
        cookieName: '__Host-gatehouse_session',
        secure: true,
        sameSite: 'lax',
        idleMs: 60 * 60_000,
        absoluteMs: 12 * 3_600_000,
      });
      expect(config.session.domain).toBeUndefined();
    });

    it('delays failed sign-ins (a high per-account ceiling, ASVS V6.3) and uses the OWASP scrypt cost', () => {
      expect(config.login).toEqual({
        maxFailuresPerAccount: 100,
        maxFailuresPerIp: 30,
        freeFailuresPerAccountIp: 5,
        maxDelayMs: 900_000,
        windowMs: 900_000,
      });
      expect(config.passwordScryptLogN).toBe(17);
      expect(config.bootstrapAdmin).toBeUndefined();
    });

    it('keeps everything in-process without REDIS_URL (an empty value is unset), and serves no metrics', () => {
      expect(config.redisUrl).toBeUndefined();
      expect(loadAppConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
      expect(loadAppConfig({ REDIS_URL: 'redis://127.0.0.1:6379/6' }).redisUrl).toBe('redis://127.0.0.1:6379/6');
      expect(() => loadAppConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
      expect(config.metrics).toBeUndefined();
      expect(loadAppConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    });

    it('is silent in test mode', () => {
      expect(loadAppConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    });
  });

  it('parses and converts the variables it is given', () => {
    const k1 = key();
    const k2 = key();
    const config = loadAppConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://auth.example.com/',
      SESSION_KEYS: `${k1},${k2}`,
      COOKIE_SECURE: 'false',
      COOKIE_SAMESITE: 'strict',
      DB_MIGRATIONS_RUN: 'no',
      TRUST_PROXY: '1',
      SESSION_IDLE_MINUTES: '15',
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-enough-password',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://auth.example.com');
    expect(config.session.keysGenerated).toBe(false);
    // Newest first: the first key seals, all open.
    expect(Buffer.from(config.session.keys[0]).toString('base64url')).toBe(k1);
    expect(Buffer.from(config.session.keys[1]).toString('base64url')).toBe(k2);
    expect(config.session.secure).toBe(false);
    expect(config.session.cookieName).toBe('gatehouse_session'); // __Host- needs Secure
    expect(config.session.sameSite).toBe('strict');
    expect(config.session.idleMs).toBe(15 * 60_000);
    expect(config.migrationsRun).toBe(false);
    expect(config.trustProxy).toBe(true);
    expect(config.bootstrapAdmin).toEqual({ email: 'admin@example.com', password: 'a-long-enough-password' });
  });

  it('drops the __Host- prefix when a cookie Domain is configured', () => {
    expect(loadAppConfig({ COOKIE_DOMAIN: 'example.com' }).session.cookieName).toBe('gatehouse_session');
  });

  it('lists every bad variable in one clear message', () => {
    const message = problemsWith({ PORT: 'eighty', COOKIE_SAMESITE: 'maybe', LOG_LEVEL: 'loud', COOKIE_SECURE: 'perhaps' });
    expect(message).toMatch(/^Invalid configuration:\n/);
    for (const name of ['PORT', 'COOKIE_SAMESITE', 'LOG_LEVEL', 'COOKIE_SECURE'])
      expect(message).toMatch(new RegExp(`^  - ${name}: `, 'm'));
  });

  it('refuses to start in production without SESSION_KEYS, and says how to make one', () => {
    const message = problemsWith({ NODE_ENV: 'production' });
    expect(message).toContain('SESSION_KEYS: required when NODE_ENV=production');
    expect(message).toContain('key:generate');
    expect(() => loadAppConfig({ NODE_ENV: 'production', SESSION_KEYS: key() })).not.toThrow();
  });

  it('refuses a session key that is not 32 base64url bytes', () => {
    expect(problemsWith({ SESSION_KEYS: 'too-short' })).toMatch(/SESSION_KEYS/);
    expect(problemsWith({ SESSION_KEYS: `${key()},` })).toMatch(/SESSION_KEYS/);
  });

  it.each(['oracle://u@h/db', 'sqlite:', 'mysql:/missing-slash', 'postgres:/missing-slash', 'data/gatehouse.sqlite'])(
    'refuses DATABASE_URL=%s',
    (url) => {
      expect(problemsWith({ DATABASE_URL: url })).toMatch(/DATABASE_URL must be sqlite:<path>, mysql:\/\/.* or postgres:\/\//);
    },
  );

  it('refuses a bootstrap admin email without a password, and a short password', () => {
    expect(problemsWith({ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' })).toMatch(/must be set together/);
    expect(problemsWith({ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'short' })).toMatch(
      /BOOTSTRAP_ADMIN_PASSWORD/,
    );
  });

  it('refuses out-of-range numbers', () => {
    expect(problemsWith({ PORT: '70000' })).toMatch(/PORT/);
    expect(problemsWith({ BODY_LIMIT_BYTES: '10' })).toMatch(/BODY_LIMIT_BYTES/);
    expect(problemsWith({ PASSWORD_SCRYPT_LOG_N: '4' })).toMatch(/PASSWORD_SCRYPT_LOG_N/);
  });
});

describe('token lifecycle settings (issue 12)', () => {
  it('defaults: a 30 s refresh grace, 5 min JWTs, monthly key rotation, keys pre-published an hour', () => {
    const c = loadAppConfig({});
    expect(c.codeFlow.refreshReuseGraceMs).toBe(30_000);
    expect(c.jwt.accessTokenTtlSeconds).toBe(300);
    expect(c.jwt.rotationMs).toBe(30 * 86_400_000);
    expect(c.jwt.prepublishMs).toBe(3_600_000);
    expect(c.jwt.keyEncryptionKey).toHaveLength(32);
  });

  it('takes the signing-key encryption key from the variable, else from a file', () => {
    const k = key();
    expect(Buffer.from(loadAppConfig({ SIGNING_KEYS_ENCRYPTION_KEY: k }).jwt.keyEncryptionKey).toString('base64url')).toBe(k);
    const file = join(tmpdir(), `gatehouse-key-${randomBytes(4).toString('hex')}`);
    writeFileSync(file, `${k}\n`);
    try {
      expect(Buffer.from(loadAppConfig({ SIGNING_KEYS_ENCRYPTION_KEY_FILE: file }).jwt.keyEncryptionKey).toString('base64url')).toBe(k);
    } finally {
      rmSync(file);
    }
  });

  it('refuses a bad encryption key, an unreadable key file, and out-of-range values', () => {
    expect(problemsWith({ SIGNING_KEYS_ENCRYPTION_KEY: 'short' })).toMatch(/SIGNING_KEYS_ENCRYPTION_KEY/);
    expect(problemsWith({ SIGNING_KEYS_ENCRYPTION_KEY_FILE: '/nonexistent/key' })).toMatch(/SIGNING_KEYS_ENCRYPTION_KEY_FILE/);
    expect(problemsWith({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '301' })).toMatch(/REFRESH_TOKEN_REUSE_GRACE_SECONDS/);
    expect(problemsWith({ JWT_ACCESS_TOKEN_TTL_SECONDS: '10' })).toMatch(/JWT_ACCESS_TOKEN_TTL_SECONDS/);
  });
});

describe('parseDatabaseUrl', () => {
  it('chooses the driver from the URL', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ type: 'sqlite', path: 'data/gatehouse.sqlite' });
    expect(parseDatabaseUrl('sqlite:/tmp/x.sqlite')).toEqual({ type: 'sqlite', path: '/tmp/x.sqlite' });
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/test')).toEqual({ type: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    expect(parseDatabaseUrl('postgres://u@h:5432/db')).toMatchObject({ type: 'postgres', url: 'postgres://u@h:5432/db', tls: undefined });
    expect(parseDatabaseUrl('postgresql://u@h/db')).toMatchObject({ type: 'postgres' });
  });

  it('PostgreSQL: sslmode becomes TLS options (and leaves the URL); an unsupported mode or an unreadable CA is a clear error', () => {
    expect(parseDatabaseUrl('postgres://u@h/db?sslmode=require&application_name=x')).toMatchObject({
      url: 'postgres://u@h/db?application_name=x',
      tls: { mode: 'require' },
    });
    expect(parseDatabaseUrl('postgres://u@h/db?sslmode=verify-full')).toMatchObject({ tls: { mode: 'verify-full' } });
    expect(() => parseDatabaseUrl('postgres://u@h/db?sslmode=prefer')).toThrow(/sslmode=prefer is not supported/);
    expect(() => parseDatabaseUrl('postgres://u@h/db', { caFile: '/nonexistent/ca.pem' })).toThrow(/DB_SSL_CA_FILE: cannot read/);
    expect(() => parseDatabaseUrl('postgres://u@h/db?sslmode=disable', { caFile: __filename })).toThrow(/sslmode=disable/);
    expect(() => parseDatabaseUrl('postgres://u@h/db', { caFile: __filename })).toThrow(/holds no PEM certificate/);
  });

  it('DB_POOL_SIZE and DB_STATEMENT_TIMEOUT_MS are validated at start', () => {
    expect(problemsWith({ DB_POOL_SIZE: '0' })).toMatch(/DB_POOL_SIZE/);
    expect(problemsWith({ DB_STATEMENT_TIMEOUT_MS: 'soon' })).toMatch(/DB_STATEMENT_TIMEOUT_MS/);
  });
});
