import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The metrics module's environment variables and their validation; the defaults are in `build` below. */
export class MetricsEnvironment {
  /** Serve Prometheus metrics on this separate port (unset: no metrics endpoint). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  @IsOptional()
  @IsString()
  METRICS_HOST?: string;
}

/** The Prometheus metrics port. */
export const METRICS_ENVIRONMENT = defineEnvironment({
  module: 'metrics',
  schema: MetricsEnvironment,
  rows: [
    {
      names: ['METRICS_PORT', 'METRICS_HOST'],
      default: 'unset / `127.0.0.1`',
      meaning: 'serve Prometheus `GET /metrics` on this separate port (never on the public one); unset: no metrics endpoint',
    },
  ],
  build: (env) => ({
    metrics: env.METRICS_PORT !== undefined ? { port: env.METRICS_PORT, host: env.METRICS_HOST ?? '127.0.0.1' } : undefined,
  }),
});
