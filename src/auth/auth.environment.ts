import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The auth module's environment variables and their validation; the defaults are in `build` below. */
export class AuthEnvironment {
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
}

/** The auth core's credential cache. */
export const AUTH_ENVIRONMENT = defineEnvironment({
  module: 'auth',
  schema: AuthEnvironment,
  rows: [
    {
      names: ['CREDENTIAL_CACHE_TTL_MS'],
      default: '`1000`',
      meaning:
        'how long a credential lookup may be served from memory (at most `1000`; `0` = off). Revocations on this instance hold at once; see [docs/performance.md](docs/performance.md)',
    },
    { names: ['CREDENTIAL_CACHE_MAX_ENTRIES'], default: '`10000`', meaning: 'bound of that cache (least recently used go first)' },
  ],
  build: (env) => ({
    credentialCache: { ttlMs: env.CREDENTIAL_CACHE_TTL_MS ?? 1000, maxEntries: env.CREDENTIAL_CACHE_MAX_ENTRIES ?? 10_000 },
  }),
});
