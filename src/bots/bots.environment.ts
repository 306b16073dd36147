import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt, toBool } from '../config/environment-declaration';

/** The bots module's environment variables and their validation; the defaults are in `build` below. */
export class BotsEnvironment {
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
}

/** Bot token expiry. */
export const BOTS_ENVIRONMENT = defineEnvironment({
  module: 'bots',
  schema: BotsEnvironment,
  rows: [
    { names: ['BOT_TOKEN_DEFAULT_EXPIRY_DAYS', 'BOT_TOKEN_MAX_EXPIRY_DAYS'], default: '`90` / `366`', meaning: 'bot token expiry' },
    { names: ['BOT_TOKEN_ALLOW_NEVER_EXPIRES'], default: '`false`', meaning: 'allow bot tokens without expiry' },
  ],
  check: (env) =>
    (env.BOT_TOKEN_DEFAULT_EXPIRY_DAYS ?? 90) > (env.BOT_TOKEN_MAX_EXPIRY_DAYS ?? 366)
      ? ['BOT_TOKEN_DEFAULT_EXPIRY_DAYS must not exceed BOT_TOKEN_MAX_EXPIRY_DAYS']
      : [],
  build: (env) => ({
    botTokens: {
      defaultExpiryDays: env.BOT_TOKEN_DEFAULT_EXPIRY_DAYS ?? 90,
      maxExpiryDays: env.BOT_TOKEN_MAX_EXPIRY_DAYS ?? 366,
      allowNeverExpires: env.BOT_TOKEN_ALLOW_NEVER_EXPIRES ?? false,
    },
  }),
});
