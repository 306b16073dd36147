import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { defineEnvironment, toInt, toBool } from '../config/environment-declaration';

/** The sessions module's environment variables and their validation; the defaults are in `build` below. */
export class SessionsEnvironment {
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
}

/** __Host- pins the cookie to this origin (Secure, Path=/, no Domain) whenever that is possible. */
function sessionCookieName(env: SessionsEnvironment): string {
  const base = env.SESSION_COOKIE_NAME ?? 'gatehouse_session';
  return (env.COOKIE_SECURE ?? true) && !env.COOKIE_DOMAIN ? `__Host-${base}` : base;
}

/** Sessions (the sealed cookie) and sign-in throttling. */
export const SESSIONS_ENVIRONMENT = defineEnvironment({
  module: 'sessions',
  schema: SessionsEnvironment,
  rows: [
    {
      names: ['SESSION_KEYS'],
      secret: true,
      default: 'generated in development',
      meaning: 'comma-separated base64url 32-byte keys, newest first: the first seals cookies, all open them (rotation)',
    },
    { names: ['SESSION_COOKIE_NAME'], default: '`gatehouse_session`', meaning: 'gets the `__Host-` prefix when Secure and no Domain' },
    { names: ['COOKIE_SECURE'], default: '`true`', meaning: 'set `false` only for plain-http development on a non-localhost host' },
    { names: ['COOKIE_SAMESITE'], default: '`lax`', meaning: '`lax`, `strict` or `none`' },
    { names: ['COOKIE_DOMAIN'], default: 'unset', meaning: 'share the cookie with subdomains (drops the `__Host-` prefix)' },
    { names: ['SESSION_IDLE_MINUTES', 'SESSION_ABSOLUTE_HOURS'], default: '`60` / `12`', meaning: 'session timeouts' },
    {
      names: ['LOGIN_FREE_FAILURES_PER_ACCOUNT_IP'],
      default: '`5`',
      meaning: 'failed sign-ins for one account from one IP before each further try waits 1 s, 2 s, 4 s, … (`429` + `Retry-After`)',
    },
    {
      names: ['LOGIN_MAX_FAILURES_PER_IP'],
      default: '`30`',
      meaning: 'failures from one IP (any account) before that IP is delayed the same way',
    },
    {
      names: ['LOGIN_MAX_FAILURES_PER_ACCOUNT'],
      default: '`100`',
      meaning:
        'per-account ceiling across every IP: past it the account is locked for the window, until an admin clears it ([docs/admin.md](docs/admin.md#sign-in-lockouts))',
    },
    {
      names: ['LOGIN_MAX_DELAY_SECONDS', 'LOGIN_FAILURE_WINDOW_SECONDS'],
      default: '`900` / `900`',
      meaning: 'the longest delay; counters are forgotten this long after their last failure',
    },
  ],
  check: (env, source) =>
    (source.NODE_ENV ?? 'development') === 'production' && !env.SESSION_KEYS
      ? ['SESSION_KEYS: required when NODE_ENV=production (generate one with `npm run cli -- key:generate`)']
      : [],
  build: (env) => ({
    session: {
      keys: env.SESSION_KEYS
        ? env.SESSION_KEYS.split(',').map((k) => new Uint8Array(Buffer.from(k, 'base64url')))
        : [new Uint8Array(randomBytes(32))],
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
  }),
});
