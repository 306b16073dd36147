import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value; // left as a string so IsBoolean reports it
};

/**
 * Every environment variable Gatehouse reads, with its validation.
 * Defaults live in app-config.ts so that this class only describes what is allowed.
 * Secrets are marked with `@Secret` in the README table; never log this object.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN?: boolean;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY?: boolean;

  /** Secret. Comma-separated base64url 256-bit keys, newest first: the first seals, all open. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}(,[A-Za-z0-9_-]{43})*$/, {
    message: 'SESSION_KEYS must be comma-separated base64url 32-byte keys (43 characters each)',
  })
  SESSION_KEYS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/)
  SESSION_COOKIE_NAME?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  COOKIE_SECURE?: boolean;

  @IsOptional()
  @IsIn(['lax', 'strict', 'none'])
  COOKIE_SAMESITE?: 'lax' | 'strict' | 'none';

  @IsOptional()
  @IsString()
  COOKIE_DOMAIN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_ABSOLUTE_HOURS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ACCOUNT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_SECONDS?: number;

  /** Failed sign-ins for one account from one IP before each further try has to wait (1 s, 2 s, 4 s, …). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FREE_FAILURES_PER_ACCOUNT_IP?: number;

  /** The longest wait the increasing delay reaches. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_MAX_DELAY_SECONDS?: number;

  /** scrypt cost as log2(N). 17 (128 MiB) is the OWASP recommendation; tests lower it. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(20)
  PASSWORD_SCRYPT_LOG_N?: number;

  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  @MinLength(12)
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES?: number;

  /** Optional Redis (redis://[:password@]host:port/db): shared counters and cross-instance signals. */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value))
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://host:port/db (or rediss://)' })
  REDIS_URL?: string;

  /** Requests per minute (per route) from one IP, for requests that present no credential; 0 switches it off. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_IP_PER_MINUTE?: number;

  /** Requests per minute for one credential (API traffic behind a shared proxy is counted per credential); 0 switches it off. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE?: number;

  /** After SIGTERM: how long readiness says 503 before idle keep-alive connections are closed. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  SHUTDOWN_GRACE_SECONDS?: number;

  /** Serve Prometheus metrics on this separate port (unset: no metrics endpoint). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  @IsOptional()
  @IsString()
  METRICS_HOST?: string;

  /** Housekeeping: minutes between purge runs (0: never), days kept after expiry, rows per batch. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10080)
  HOUSEKEEPING_INTERVAL_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  HOUSEKEEPING_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  HOUSEKEEPING_BATCH_SIZE?: number;

  /** Lifetime of OAuth access tokens (RFC 6749 §5.1 expires_in). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  OAUTH_ACCESS_TOKEN_TTL_SECONDS?: number;

  /** How long a rotated-out client secret keeps working, unless revoked at once. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(720)
  CLIENT_SECRET_ROTATION_GRACE_HOURS?: number;

  /** How long a credential lookup may be served from memory (ms, at most 1000); 0 switches the cache off. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  CREDENTIAL_CACHE_TTL_MS?: number;

  /** The most credential lookups kept in memory (least recently used go first). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  CREDENTIAL_CACHE_MAX_ENTRIES?: number;

  /** Token endpoint limits: requests per window per client_id and per IP. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TOKEN_RATE_LIMIT_PER_CLIENT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TOKEN_RATE_LIMIT_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  TOKEN_RATE_LIMIT_WINDOW_SECONDS?: number;

  /** Authorization code lifetime. The issue caps it at 60 s (RFC 6749 §4.1.2 recommends at most 10 min). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  AUTHORIZATION_CODE_TTL_SECONDS?: number;

  /** A refresh-token family ends this long after its first token, whatever the rotations. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFRESH_TOKEN_ABSOLUTE_DAYS?: number;

  /** A refresh token not used for this long stops working. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFRESH_TOKEN_IDLE_DAYS?: number;

  /**
   * How long a rotated-out refresh token still answers with its one successor (a retry or a
   * parallel refresh), instead of counting as reuse. 0 = strict: any second use revokes the family.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  REFRESH_TOKEN_REUSE_GRACE_SECONDS?: number;

  /** Lifetime of JWT access tokens (RFC 9068). Short: outside resource servers see a revocation only at expiry. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  JWT_ACCESS_TOKEN_TTL_SECONDS?: number;

  /** Secret. base64url 32-byte key that seals the JWT signing keys at rest. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'SIGNING_KEYS_ENCRYPTION_KEY must be a base64url 32-byte key (43 characters)' })
  SIGNING_KEYS_ENCRYPTION_KEY?: string;

  /** A file holding SIGNING_KEYS_ENCRYPTION_KEY (e.g. a mounted secret); the variable wins when both are set. */
  @IsOptional()
  @IsString()
  SIGNING_KEYS_ENCRYPTION_KEY_FILE?: string;

  /** A new signing key is created (pre-published) when the newest is this old; 0 = only by `key:rotate`. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  SIGNING_KEY_ROTATION_DAYS?: number;

  /** How long a new signing key is published in the JWKS before it signs. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(604800)
  SIGNING_KEY_PREPUBLISH_SECONDS?: number;

  /** Outgoing mail for password-reset links (nodemailer URL: smtp://user:pass@host:587, smtps://…). Unset: no email; admins hand links over. */
  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The From address of those emails. */
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  /** PKCE is always required for public clients; this relaxes it for confidential ones only. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  PKCE_REQUIRED_FOR_CONFIDENTIAL?: boolean;

  /** Device authorization grant (RFC 8628): device/user code lifetime (`expires_in`). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  DEVICE_CODE_TTL_SECONDS?: number;

  /** The minimum polling interval a device is told (`interval`, RFC 8628 §3.2). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  DEVICE_CODE_INTERVAL_SECONDS?: number;

  /** User-code entries on /device per browser session and per IP in one window (RFC 8628 §5.1). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  DEVICE_USER_CODE_ATTEMPT_WINDOW_SECONDS?: number;

  /** Personal access tokens: expiry offered by default, the longest allowed, and whether "never" is allowed. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  PAT_DEFAULT_EXPIRY_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  PAT_MAX_EXPIRY_DAYS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  PAT_ALLOW_NEVER_EXPIRES?: boolean;

  /** Bot tokens: the same shape as the PAT settings, configured separately. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  BOT_TOKEN_DEFAULT_EXPIRY_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  BOT_TOKEN_MAX_EXPIRY_DAYS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  BOT_TOKEN_ALLOW_NEVER_EXPIRES?: boolean;

  /** Impersonation (token exchange) token lifetime; capped at 60 minutes. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  IMPERSONATION_TOKEN_TTL_MINUTES?: number;

  /** Enterprise SSO (upstream OpenID Connect): how long one request to an IdP may take (discovery, JWKS, token). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  SSO_HTTP_TIMEOUT_SECONDS?: number;

  /** How long a started SSO sign-in (its sealed state cookie) stays usable. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  SSO_STATE_TTL_SECONDS?: number;

  /** Allows http:// issuers (development and tests only; never in production). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SSO_ALLOW_INSECURE_HTTP?: boolean;
}
