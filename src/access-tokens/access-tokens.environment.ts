import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The access-tokens module's environment variables and their validation; the defaults are in `build` below. */
export class AccessTokensEnvironment {
  /** Lifetime of OAuth access tokens (RFC 6749 §5.1 expires_in). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  OAUTH_ACCESS_TOKEN_TTL_SECONDS?: number;

  /** Lifetime of JWT access tokens (RFC 9068). Short: outside resource servers see a revocation only at expiry. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  JWT_ACCESS_TOKEN_TTL_SECONDS?: number;
}

/** Access token lifetimes (opaque and JWT). */
export const ACCESS_TOKENS_ENVIRONMENT = defineEnvironment({
  module: 'access-tokens',
  schema: AccessTokensEnvironment,
  rows: [
    { names: ['OAUTH_ACCESS_TOKEN_TTL_SECONDS'], default: '`3600`', meaning: 'OAuth access token lifetime' },
    {
      names: ['JWT_ACCESS_TOKEN_TTL_SECONDS'],
      default: '`300`',
      meaning: 'lifetime of JWT access tokens (60–3600); short because outside resource servers see revocation only at expiry',
    },
  ],
  build: (env) => ({
    oauth: { accessTokenTtlSeconds: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS ?? 3600 },
    jwt: { accessTokenTtlSeconds: env.JWT_ACCESS_TOKEN_TTL_SECONDS ?? 300 },
  }),
});
