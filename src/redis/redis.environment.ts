import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { defineEnvironment } from '../config/environment-declaration';

/** The redis module's environment variables and their validation; the defaults are in `build` below. */
export class RedisEnvironment {
  /** Optional Redis (redis://[:password@]host:port/db): shared counters and cross-instance signals. */
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value))
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://host:port/db (or rediss://)' })
  REDIS_URL?: string;
}

/** The optional Redis shared by N instances. */
export const REDIS_ENVIRONMENT = defineEnvironment({
  module: 'redis',
  schema: RedisEnvironment,
  rows: [
    {
      names: ['REDIS_URL'],
      default: 'unset',
      meaning:
        '`redis://host:6379/0`: share rate limits, sign-in counters and revocations between instances ([docs/scaling.md](docs/scaling.md)); unset keeps everything in-process',
    },
  ],
  build: (env) => ({ redisUrl: env.REDIS_URL || undefined }),
});
