import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The impersonation module's environment variables and their validation; the defaults are in `build` below. */
export class ImpersonationEnvironment {
  /** Impersonation (token exchange) token lifetime; capped at 60 minutes. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  IMPERSONATION_TOKEN_TTL_MINUTES?: number;
}

/** Impersonation token lifetime. */
export const IMPERSONATION_ENVIRONMENT = defineEnvironment({
  module: 'impersonation',
  schema: ImpersonationEnvironment,
  rows: [
    {
      names: ['IMPERSONATION_TOKEN_TTL_MINUTES'],
      default: '`15`',
      meaning: 'lifetime of impersonation tokens (token exchange); at most `60`',
    },
  ],
  build: (env) => ({ impersonation: { ttlSeconds: (env.IMPERSONATION_TOKEN_TTL_MINUTES ?? 15) * 60 } }),
});
