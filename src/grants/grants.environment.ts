import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The grants module's environment variables and their validation; the defaults are in `build` below. */
export class GrantsEnvironment {
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
}

/** Authorization codes and refresh-token families. */
export const GRANTS_ENVIRONMENT = defineEnvironment({
  module: 'grants',
  schema: GrantsEnvironment,
  rows: [
    { names: ['AUTHORIZATION_CODE_TTL_SECONDS'], default: '`60`', meaning: 'authorization code lifetime (at most 60)' },
    {
      names: ['REFRESH_TOKEN_ABSOLUTE_DAYS', 'REFRESH_TOKEN_IDLE_DAYS'],
      default: '`30` / `14`',
      meaning: 'refresh token family lifetime; idle limit',
    },
    {
      names: ['REFRESH_TOKEN_REUSE_GRACE_SECONDS'],
      default: '`30`',
      meaning:
        'a rotated-out refresh token presented again within this window gets the same successor instead of revoking its family; `0` = strict (0–300)',
    },
  ],
  build: (env) => ({
    codeFlow: {
      codeTtlMs: (env.AUTHORIZATION_CODE_TTL_SECONDS ?? 60) * 1000,
      refreshAbsoluteMs: (env.REFRESH_TOKEN_ABSOLUTE_DAYS ?? 30) * 86_400_000,
      refreshIdleMs: (env.REFRESH_TOKEN_IDLE_DAYS ?? 14) * 86_400_000,
      refreshReuseGraceMs: (env.REFRESH_TOKEN_REUSE_GRACE_SECONDS ?? 30) * 1000,
    },
  }),
});
