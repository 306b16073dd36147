import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt, toBool } from '../config/environment-declaration';

/** The personal-tokens module's environment variables and their validation; the defaults are in `build` below. */
export class PersonalTokensEnvironment {
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
}

/** Personal access token expiry. */
export const PERSONAL_TOKENS_ENVIRONMENT = defineEnvironment({
  module: 'personal-tokens',
  schema: PersonalTokensEnvironment,
  rows: [
    { names: ['PAT_DEFAULT_EXPIRY_DAYS', 'PAT_MAX_EXPIRY_DAYS'], default: '`90` / `366`', meaning: 'personal access token expiry' },
    { names: ['PAT_ALLOW_NEVER_EXPIRES'], default: '`false`', meaning: 'allow PATs without expiry' },
  ],
  check: (env) =>
    (env.PAT_DEFAULT_EXPIRY_DAYS ?? 90) > (env.PAT_MAX_EXPIRY_DAYS ?? 366)
      ? ['PAT_DEFAULT_EXPIRY_DAYS must not exceed PAT_MAX_EXPIRY_DAYS']
      : [],
  build: (env) => ({
    personalTokens: {
      defaultExpiryDays: env.PAT_DEFAULT_EXPIRY_DAYS ?? 90,
      maxExpiryDays: env.PAT_MAX_EXPIRY_DAYS ?? 366,
      allowNeverExpires: env.PAT_ALLOW_NEVER_EXPIRES ?? false,
    },
  }),
});
