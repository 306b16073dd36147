import { getConfigToken } from '@nestjs/config';
import { readFileSync } from 'node:fs';

/** TLS to PostgreSQL, from the URL's `sslmode` (libpq's names) and DB_SSL_CA_FILE. */
export interface PostgresTls {
  /** `require`: encrypted, any certificate; `verify-ca`: signed by the CA; `verify-full`: and for this host name. */
  mode: 'require' | 'verify-ca' | 'verify-full';
  /** PEM text of the CA bundle (DB_SSL_CA_FILE); unset: Node's default CAs. */
  ca?: string;
}

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'mysql'; url: string; poolSize?: number }
  | {
      type: 'postgres';
      /** Without `sslmode` (turned into `tls`). */
      url: string;
      poolSize?: number;
      /** Milliseconds after which PostgreSQL cancels a statement (statement_timeout); 0: never. */
      statementTimeoutMs?: number;
      tls?: PostgresTls;
    };

/**
 * The typed, validated configuration. Built once at start-up by src/configuration.ts from each
 * module's declaration (`src/<module>/<module>.environment.ts`); see README "Configuration".
 */
export interface AppConfig {
  /** Multi-factor sign-in (src/mfa/mfa.environment.ts, docs/mfa.md). */
  mfa: {
    required: 'none' | 'admins' | 'all';
    totpIssuer: string;
    /** How long a partial session (password passed, second step pending) lasts. */
    stepMs: number;
    maxFailuresPerAccount: number;
    maxFailuresPerIp: number;
    failureWindowMs: number;
    /** Step-up window: a sensitive action needs an authentication at most this old (0: always). */
    sudoModeMs: number;
  };
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  issuer: string;
  database: DatabaseConfig;
  migrationsRun: boolean;
  /** Group commit window of WriteBatches in milliseconds (DB_GROUP_COMMIT_MS); 0: off. */
  groupCommitMs: number;
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
  /** Passkeys (WebAuthn; src/passkeys). `rpId` and `origin` are derived from PUBLIC_URL. */
  passkeys: {
    /** Lifetime of a registration or sign-in challenge, in milliseconds. */
    challengeTimeoutMs: number;
    userVerification: 'preferred' | 'required';
    rpName: string;
    /** The WebAuthn relying party id: PUBLIC_URL's host name. */
    rpId: string;
    /** The origin every client response must name: PUBLIC_URL's origin. */
    origin: string;
  };
  bootstrapAdmin?: { email: string; password: string };
  /** The outbox that delivers mail out of the request (src/outbox), with retries and backoff. */
  outbox: { pollMs: number; retryBaseMs: number; retryMaxMs: number };
  /** Outgoing mail (password-reset links); undefined when SMTP_URL is unset. */
  mail?: { smtpUrl: string; from: string };
}

export class ConfigValidationError extends Error {}

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'];

/** The DB_* options next to DATABASE_URL. */
export interface DatabaseOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
  caFile?: string;
}

/**
 * DATABASE_URL (and the DB_* options) as a DatabaseConfig. `postgres://` and `postgresql://`
 * select PostgreSQL; its `sslmode` query parameter is read here (libpq's names; `prefer` and
 * `allow` are refused: node-postgres cannot fall back to plain text) and taken out of the URL.
 * Throws ConfigValidationError with the offending variable's name.
 */
export function parseDatabaseUrl(url: string | undefined, options: DatabaseOptions = {}): DatabaseConfig {
  if (!url) return { type: 'sqlite', path: 'data/gatehouse.sqlite' };
  if (url.startsWith('sqlite:')) return { type: 'sqlite', path: url.slice('sqlite:'.length) };
  if (!/^postgres(ql)?:\/\//.test(url)) return { type: 'mysql', url, poolSize: options.poolSize };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigValidationError('Invalid configuration:\n  - DATABASE_URL: not a valid postgres:// URL');
  }
  const mode = parsed.searchParams.get('sslmode') ?? (options.caFile ? 'verify-full' : 'disable');
  if (!SSL_MODES.includes(mode)) {
    throw new ConfigValidationError(
      `Invalid configuration:\n  - DATABASE_URL: sslmode=${mode} is not supported; use one of ${SSL_MODES.join(', ')}`,
    );
  }
  parsed.searchParams.delete('sslmode');
  if (mode === 'disable' && options.caFile) {
    throw new ConfigValidationError('Invalid configuration:\n  - DB_SSL_CA_FILE is set but DATABASE_URL says sslmode=disable');
  }
  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, 'utf8');
    } catch (err) {
      throw new ConfigValidationError(
        `Invalid configuration:\n  - DB_SSL_CA_FILE: cannot read ${options.caFile} (${(err as Error).message})`,
      );
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigValidationError(`Invalid configuration:\n  - DB_SSL_CA_FILE: ${options.caFile} holds no PEM certificate`);
    }
  }
  return {
    type: 'postgres',
    url: parsed.toString(),
    poolSize: options.poolSize,
    statementTimeoutMs: options.statementTimeoutMs,
    tls: mode === 'disable' ? undefined : { mode: mode as PostgresTls['mode'], ca },
  };
}

/** The config namespace AppConfig is registered under (src/configuration.ts builds it). */
export const APP_CONFIG_NAMESPACE = 'app';

/** Injection token for the typed config: `@Inject(APP_CONFIG) config: AppConfig`. */
export const APP_CONFIG = getConfigToken(APP_CONFIG_NAMESPACE);
