import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The rate-limits module's environment variables and their validation; the defaults are in `build` below. */
export class RateLimitsEnvironment {
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
}

/** The global request ceilings. */
export const RATE_LIMITS_ENVIRONMENT = defineEnvironment({
  module: 'rate-limits',
  schema: RateLimitsEnvironment,
  rows: [
    {
      names: ['RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE'],
      default: '`1200`',
      meaning: 'requests per minute (per route) for one presented credential; requests without one are limited per IP; `0` switches it off',
    },
    {
      names: ['RATE_LIMIT_PER_IP_PER_MINUTE'],
      default: '`1200`',
      meaning: 'requests per minute (per route) from one IP for requests without a credential (`429` + `Retry-After`); `0` switches it off',
    },
  ],
  build: (env) => ({
    rateLimit: {
      perIpPerMinute: env.RATE_LIMIT_PER_IP_PER_MINUTE ?? 1200,
      perCredentialPerMinute: env.RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE ?? 1200,
    },
  }),
});
