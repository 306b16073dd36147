import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The oauth module's environment variables and their validation; the defaults are in `build` below. */
export class OAuthEnvironment {
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
}

/** The OAuth endpoints' rate limits. */
export const OAUTH_ENVIRONMENT = defineEnvironment({
  module: 'oauth',
  schema: OAuthEnvironment,
  rows: [
    {
      names: ['TOKEN_RATE_LIMIT_PER_CLIENT', 'TOKEN_RATE_LIMIT_PER_IP', 'TOKEN_RATE_LIMIT_WINDOW_SECONDS'],
      label: '`TOKEN_RATE_LIMIT_PER_CLIENT` / `_PER_IP` / `_WINDOW_SECONDS`',
      default: '`60` / `300` / `60`',
      meaning: 'token endpoint limits (`429` + `Retry-After`)',
    },
  ],
  build: (env) => ({
    oauth: {
      tokenRateLimit: {
        perClient: env.TOKEN_RATE_LIMIT_PER_CLIENT ?? 60,
        perIp: env.TOKEN_RATE_LIMIT_PER_IP ?? 300,
        windowMs: (env.TOKEN_RATE_LIMIT_WINDOW_SECONDS ?? 60) * 1000,
      },
    },
  }),
});
