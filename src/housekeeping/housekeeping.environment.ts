import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The housekeeping module's environment variables and their validation; the defaults are in `build` below. */
export class HousekeepingEnvironment {
  /** Housekeeping: minutes between purge runs (0: never), days kept after expiry, rows per batch. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10080)
  HOUSEKEEPING_INTERVAL_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  HOUSEKEEPING_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  HOUSEKEEPING_BATCH_SIZE?: number;
}

/** Purging ended credentials. */
export const HOUSEKEEPING_ENVIRONMENT = defineEnvironment({
  module: 'housekeeping',
  schema: HousekeepingEnvironment,
  rows: [
    {
      names: ['HOUSEKEEPING_INTERVAL_MINUTES', 'HOUSEKEEPING_RETENTION_DAYS', 'HOUSEKEEPING_BATCH_SIZE'],
      label: '`HOUSEKEEPING_INTERVAL_MINUTES` / `_RETENTION_DAYS` / `_BATCH_SIZE`',
      default: '`60` / `30` / `500`',
      meaning:
        'purge credentials that ended (expired, revoked, consumed) more than the retention ago, in batches, one instance at a time (a database lease); `0` minutes: never. Every table with an expiry has a task: sessions, API keys, bot, access, refresh and impersonation tokens, grants, codes, device authorizations, reset links, client secrets. Audit rows are not purged',
    },
  ],
  build: (env) => ({
    housekeeping: {
      intervalMs: (env.HOUSEKEEPING_INTERVAL_MINUTES ?? 60) * 60_000,
      retentionMs: (env.HOUSEKEEPING_RETENTION_DAYS ?? 30) * 86_400_000,
      batchSize: env.HOUSEKEEPING_BATCH_SIZE ?? 500,
    },
  }),
});
