import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { defineEnvironment, toInt, toBool } from './environment-declaration';

/** The config module's environment variables and their validation; the defaults are in `build` below. */
export class ServerEnvironment {
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
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES?: number;

  /** After SIGTERM: how long readiness says 503 before idle keep-alive connections are closed. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  SHUTDOWN_GRACE_SECONDS?: number;
}

/** The server itself: mode, address, public URL (the OAuth issuer), logging, proxies, body size, shutdown. */
export const SERVER_ENVIRONMENT = defineEnvironment({
  module: 'config',
  schema: ServerEnvironment,
  rows: [
    { names: ['NODE_ENV'], default: '`development`', meaning: '`production` refuses to start without `SESSION_KEYS`' },
    { names: ['PORT', 'HOST'], default: '`3000` / `127.0.0.1`', meaning: 'where the server listens (`0.0.0.0` in containers)' },
    { names: ['PUBLIC_URL'], default: '`http://localhost:$PORT`', meaning: 'the external base URL; also the OAuth `issuer`' },
    {
      names: ['SHUTDOWN_GRACE_SECONDS'],
      default: '`5` (`0` in tests)',
      meaning:
        'after SIGTERM: `/health/ready` answers `503` and responses say `Connection: close` for this long, then the server closes (in-flight requests finish) and exits 0',
    },
    {
      names: ['LOG_LEVEL'],
      default: '`info`',
      meaning:
        'pino level; JSON lines: one short access line per request (method, route, status, ms, request id, principal), credentials redacted',
    },
    { names: ['TRUST_PROXY'], default: '`false`', meaning: 'trust `X-Forwarded-*` (behind a reverse proxy)' },
    {
      names: ['BODY_LIMIT_BYTES'],
      default: '`1048576`',
      meaning:
        'larger bodies get `413` (`400 invalid_request` at the OAuth token, revoke and introspect endpoints); JSON is also refused (`400`) past 32 levels of nesting, 2,000 items in one array or object, or with an unpaired UTF-16 surrogate (fixed limits)',
    },
  ],
  build: (env) => {
    const mode = env.NODE_ENV ?? 'development';
    const port = env.PORT ?? 3000;
    const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
    return {
      env: mode,
      port,
      host: env.HOST ?? '127.0.0.1',
      publicUrl,
      issuer: publicUrl,
      logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
      trustProxy: env.TRUST_PROXY ?? false,
      bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 1024 * 1024,
      // Tests close at once; a load balancer needs a few seconds to see readiness fail.
      shutdownGraceMs: (env.SHUTDOWN_GRACE_SECONDS ?? (mode === 'test' ? 0 : 5)) * 1000,
    };
  },
});
