import { registerAs } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EnvironmentVariables } from './environment.schema';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

/** The typed, validated configuration. Built once at start-up; see README "Configuration". */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  issuer: string;
  database: DatabaseConfig;
  migrationsRun: boolean;
  logLevel: string;
  trustProxy: boolean;
  bodyLimitBytes: number;
  session: {
    /** Secret: newest first. */
    keys: Uint8Array[];
    /** True when SESSION_KEYS was unset and a per-process key was generated (development only). */
    keysGenerated: boolean;
    cookieName: string;
    secure: boolean;
    sameSite: 'lax' | 'strict' | 'none';
    domain?: string;
    idleMs: number;
    absoluteMs: number;
  };
  /** Sign-in throttling (see docs/operations.md "Sign-in throttling"). */
  login: {
    /** Per-account ceiling across every IP: past it the account is locked for the window. */
    maxFailuresPerAccount: number;
    /** Failures from one IP (any account) before that IP's tries are delayed. */
    maxFailuresPerIp: number;
    /** Failures for one account from one IP before those tries are delayed. */
    freeFailuresPerAccountIp: number;
    /** The cap of the doubling delay, in ms. */
    maxDelayMs: number;
    /** Counters are forgotten this long after their last failure. */
    windowMs: number;
  };
  /** REDIS_URL: unset keeps every counter in-process. */
  redisUrl?: string;
  /** The request ceilings per minute (per route): per IP without a credential, per credential with one; 0 = off. */
  rateLimit: { perIpPerMinute: number; perCredentialPerMinute: number };
  /** SIGTERM: readiness goes 503 at once; idle keep-alive sockets close after this. */
  shutdownGraceMs: number;
  metrics?: { port: number; host: string };
  housekeeping: { intervalMs: number; retentionMs: number; batchSize: number };
  passwordScryptLogN: number;
  /** The in-process cache of credential lookups (auth/credential-cache.ts); ttlMs 0 = off. */
  credentialCache: { ttlMs: number; maxEntries: number };
  oauth: {
    accessTokenTtlSeconds: number;
    clientSecretGraceMs: number;
    tokenRateLimit: { perClient: number; perIp: number; windowMs: number };
  };
  /** The authorization code flow (issue 5). */
  codeFlow: {
    codeTtlMs: number;
    refreshAbsoluteMs: number;
    refreshIdleMs: number;
    /** A rotated-out refresh token answers with its successor for this long (0 = strict). */
    refreshReuseGraceMs: number;
    pkceRequiredForConfidential: boolean;
  };
  /** The device authorization grant (RFC 8628, issue 13). */
  deviceFlow: {
    /** Lifetime of a device code and its user code (`expires_in`). */
    codeTtlMs: number;
    /** The polling interval a device starts with (`interval`); each slow_down adds 5 s. */
    intervalSeconds: number;
    /** User-code entries allowed per browser session and per IP in one window (RFC 8628 §5.1). */
    maxAttemptsPerSession: number;
    maxAttemptsPerIp: number;
    attemptWindowMs: number;
  };
  /** JWT access tokens (RFC 9068) and their signing keys. */
  jwt: {
    accessTokenTtlSeconds: number;
    /** Secret: seals the private signing keys at rest (from configuration, or derived from the session key). */
    keyEncryptionKey: Uint8Array;
    /** 0 = keys rotate only through `key:rotate`. */
    rotationMs: number;
    prepublishMs: number;
  };
  personalTokens: {
    defaultExpiryDays: number;
    maxExpiryDays: number;
    allowNeverExpires: boolean;
  };
  /** Bot (impersonated) access tokens: the PAT settings' shape, configured separately. */
  botTokens: {
    defaultExpiryDays: number;
    maxExpiryDays: number;
    allowNeverExpires: boolean;
  };
  /** RFC 8693 impersonation tokens: lifetime in seconds (at most 3600). */
  impersonation: { ttlSeconds: number };
  /** Enterprise SSO through upstream OpenID Connect IdPs (src/sso, docs/sso.md). */
  sso: {
    /** Bound on each request to an IdP (discovery, JWKS, token endpoint), in seconds. */
    httpTimeoutSeconds: number;
    /** Lifetime of a started sign-in (the sealed state cookie), in milliseconds. */
    stateTtlMs: number;
    /** http:// issuers allowed (development and tests only). */
    allowInsecureHttp: boolean;
  };
  bootstrapAdmin?: { email: string; password: string };
  /** Outgoing mail (password-reset links); undefined when SMTP_URL is unset. */
  mail?: { smtpUrl: string; from: string };
}

export class ConfigValidationError extends Error {}

/** A key kept in a file (a mounted secret): its trimmed content, which must be base64url 32 bytes. */
function readKeyFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ConfigValidationError(
      `Invalid configuration:\n  - SIGNING_KEYS_ENCRYPTION_KEY_FILE: cannot read ${path} (${(err as Error).message})`,
    );
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) {
    throw new ConfigValidationError(
      'Invalid configuration:\n  - SIGNING_KEYS_ENCRYPTION_KEY_FILE: the file must hold a base64url 32-byte key (43 characters)',
    );
  }
  return text;
}

export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
  if (!url) return { type: 'sqlite', path: 'data/gatehouse.sqlite' };
  if (url.startsWith('sqlite:')) return { type: 'sqlite', path: url.slice('sqlite:'.length) };
  return { type: 'mysql', url };
}

/** __Host- pins the cookie to this origin (Secure, Path=/, no Domain) whenever that is possible. */
function sessionCookieName(env: EnvironmentVariables): string {
  const base = env.SESSION_COOKIE_NAME ?? 'gatehouse_session';
  return (env.COOKIE_SECURE ?? true) && !env.COOKIE_DOMAIN ? `__Host-${base}` : base;
}

/** Validates the environment and builds AppConfig, or throws one error listing every problem. */
export function loadAppConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = plainToInstance(EnvironmentVariables, { ...source }, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `  - ${e.property}: ${m}`));

  const mode = env.NODE_ENV ?? 'development';
  if (mode === 'production' && !env.SESSION_KEYS) {
    problems.push('  - SESSION_KEYS: required when NODE_ENV=production (generate one with `npm run cli -- key:generate`)');
  }
  if (mode === 'production' && env.SSO_ALLOW_INSECURE_HTTP) {
    problems.push('  - SSO_ALLOW_INSECURE_HTTP: not allowed when NODE_ENV=production (an IdP is reached over https only)');
  }
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push('  - BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if ((env.PAT_DEFAULT_EXPIRY_DAYS ?? 90) > (env.PAT_MAX_EXPIRY_DAYS ?? 366)) {
    problems.push('  - PAT_DEFAULT_EXPIRY_DAYS must not exceed PAT_MAX_EXPIRY_DAYS');
  }
  if ((env.BOT_TOKEN_DEFAULT_EXPIRY_DAYS ?? 90) > (env.BOT_TOKEN_MAX_EXPIRY_DAYS ?? 366)) {
    problems.push('  - BOT_TOKEN_DEFAULT_EXPIRY_DAYS must not exceed BOT_TOKEN_MAX_EXPIRY_DAYS');
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n${problems.join('\n')}`);
  }

  let keys: Uint8Array[];
  if (env.SESSION_KEYS) {
    keys = env.SESSION_KEYS.split(',').map((k) => new Uint8Array(Buffer.from(k, 'base64url')));
  } else {
    keys = [new Uint8Array(randomBytes(32))];
  }

  const port = env.PORT ?? 3000;
  const signingKeyText = env.SIGNING_KEYS_ENCRYPTION_KEY ?? readKeyFile(env.SIGNING_KEYS_ENCRYPTION_KEY_FILE);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    env: mode,
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl,
    issuer: publicUrl,
    database: parseDatabaseUrl(env.DATABASE_URL),
    migrationsRun: env.DB_MIGRATIONS_RUN ?? true,
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    trustProxy: env.TRUST_PROXY ?? false,
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 1024 * 1024,
    session: {
      keys,
      keysGenerated: !env.SESSION_KEYS,
      cookieName: sessionCookieName(env),
      secure: env.COOKIE_SECURE ?? true,
      sameSite: env.COOKIE_SAMESITE ?? 'lax',
      domain: env.COOKIE_DOMAIN || undefined,
      idleMs: (env.SESSION_IDLE_MINUTES ?? 60) * 60_000,
      absoluteMs: (env.SESSION_ABSOLUTE_HOURS ?? 12) * 3_600_000,
    },
    login: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 100,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP ?? 30,
      freeFailuresPerAccountIp: env.LOGIN_FREE_FAILURES_PER_ACCOUNT_IP ?? 5,
      maxDelayMs: (env.LOGIN_MAX_DELAY_SECONDS ?? 900) * 1000,
      windowMs: (env.LOGIN_FAILURE_WINDOW_SECONDS ?? 900) * 1000,
    },
    redisUrl: env.REDIS_URL || undefined,
    rateLimit: {
      perIpPerMinute: env.RATE_LIMIT_PER_IP_PER_MINUTE ?? 1200,
      perCredentialPerMinute: env.RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE ?? 1200,
    },
    // Tests close at once; a load balancer needs a few seconds to see readiness fail.
    shutdownGraceMs: (env.SHUTDOWN_GRACE_SECONDS ?? (mode === 'test' ? 0 : 5)) * 1000,
    metrics: env.METRICS_PORT !== undefined ? { port: env.METRICS_PORT, host: env.METRICS_HOST ?? '127.0.0.1' } : undefined,
    housekeeping: {
      intervalMs: (env.HOUSEKEEPING_INTERVAL_MINUTES ?? 60) * 60_000,
      retentionMs: (env.HOUSEKEEPING_RETENTION_DAYS ?? 30) * 86_400_000,
      batchSize: env.HOUSEKEEPING_BATCH_SIZE ?? 500,
    },
    passwordScryptLogN: env.PASSWORD_SCRYPT_LOG_N ?? 17,
    credentialCache: { ttlMs: env.CREDENTIAL_CACHE_TTL_MS ?? 1000, maxEntries: env.CREDENTIAL_CACHE_MAX_ENTRIES ?? 10_000 },
    oauth: {
      accessTokenTtlSeconds: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS ?? 3600,
      clientSecretGraceMs: (env.CLIENT_SECRET_ROTATION_GRACE_HOURS ?? 24) * 3_600_000,
      tokenRateLimit: {
        perClient: env.TOKEN_RATE_LIMIT_PER_CLIENT ?? 60,
        perIp: env.TOKEN_RATE_LIMIT_PER_IP ?? 300,
        windowMs: (env.TOKEN_RATE_LIMIT_WINDOW_SECONDS ?? 60) * 1000,
      },
    },
    codeFlow: {
      codeTtlMs: (env.AUTHORIZATION_CODE_TTL_SECONDS ?? 60) * 1000,
      refreshAbsoluteMs: (env.REFRESH_TOKEN_ABSOLUTE_DAYS ?? 30) * 86_400_000,
      refreshIdleMs: (env.REFRESH_TOKEN_IDLE_DAYS ?? 14) * 86_400_000,
      refreshReuseGraceMs: (env.REFRESH_TOKEN_REUSE_GRACE_SECONDS ?? 30) * 1000,
      pkceRequiredForConfidential: env.PKCE_REQUIRED_FOR_CONFIDENTIAL ?? true,
    },
    deviceFlow: {
      codeTtlMs: (env.DEVICE_CODE_TTL_SECONDS ?? 600) * 1000,
      intervalSeconds: env.DEVICE_CODE_INTERVAL_SECONDS ?? 5,
      maxAttemptsPerSession: env.DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION ?? 10,
      maxAttemptsPerIp: env.DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP ?? 50,
      attemptWindowMs: (env.DEVICE_USER_CODE_ATTEMPT_WINDOW_SECONDS ?? 900) * 1000,
    },
    jwt: {
      accessTokenTtlSeconds: env.JWT_ACCESS_TOKEN_TTL_SECONDS ?? 300,
      keyEncryptionKey: signingKeyText
        ? new Uint8Array(Buffer.from(signingKeyText, 'base64url'))
        : new Uint8Array(hkdfSync('sha256', keys[0], new Uint8Array(0), 'gatehouse signing keys at rest v1', 32)),
      rotationMs: (env.SIGNING_KEY_ROTATION_DAYS ?? 30) * 86_400_000,
      prepublishMs: (env.SIGNING_KEY_PREPUBLISH_SECONDS ?? 3600) * 1000,
    },
    personalTokens: {
      defaultExpiryDays: env.PAT_DEFAULT_EXPIRY_DAYS ?? 90,
      maxExpiryDays: env.PAT_MAX_EXPIRY_DAYS ?? 366,
      allowNeverExpires: env.PAT_ALLOW_NEVER_EXPIRES ?? false,
    },
    botTokens: {
      defaultExpiryDays: env.BOT_TOKEN_DEFAULT_EXPIRY_DAYS ?? 90,
      maxExpiryDays: env.BOT_TOKEN_MAX_EXPIRY_DAYS ?? 366,
      allowNeverExpires: env.BOT_TOKEN_ALLOW_NEVER_EXPIRES ?? false,
    },
    impersonation: { ttlSeconds: (env.IMPERSONATION_TOKEN_TTL_MINUTES ?? 15) * 60 },
    sso: {
      httpTimeoutSeconds: env.SSO_HTTP_TIMEOUT_SECONDS ?? 5,
      stateTtlMs: (env.SSO_STATE_TTL_SECONDS ?? 600) * 1000,
      allowInsecureHttp: env.SSO_ALLOW_INSECURE_HTTP ?? false,
    },
    mail: env.SMTP_URL
      ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM ?? `Gatehouse <no-reply@${new URL(publicUrl).hostname}>` }
      : undefined,
    bootstrapAdmin:
      env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD
        ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
  };
}

export const appConfig = registerAs('app', () => loadAppConfig(process.env));

/** Injection token for the typed config: `@Inject(APP_CONFIG) config: AppConfig`. */
export const APP_CONFIG = appConfig.KEY;
