import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The outbox module's environment variables and their validation; the defaults are in `build` below. */
export class OutboxEnvironment {
  /** How often each instance looks for due outbox messages, in ms (it also looks right after each enqueue). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(600_000)
  MAIL_OUTBOX_POLL_MS?: number;

  /** The first retry delay of a message whose delivery failed, in ms; doubled per attempt, at most 5 minutes. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(300_000)
  MAIL_RETRY_BASE_MS?: number;
}

/** The mail outbox (issue 22 §3): delivery out of the request, with retries and backoff. */
export const OUTBOX_ENVIRONMENT = defineEnvironment({
  module: 'outbox',
  schema: OutboxEnvironment,
  rows: [
    {
      names: ['MAIL_OUTBOX_POLL_MS'],
      default: '1000',
      meaning: 'how often each instance delivers due outbox messages (mail), in ms; it also does right after each enqueue',
    },
    {
      names: ['MAIL_RETRY_BASE_MS'],
      default: '1000',
      meaning: 'first retry delay after a failed delivery (e.g. the mail server is down), in ms; doubled per attempt, at most 5 minutes',
    },
  ],
  build: (env) => ({
    outbox: { pollMs: env.MAIL_OUTBOX_POLL_MS ?? 1000, retryBaseMs: env.MAIL_RETRY_BASE_MS ?? 1000, retryMaxMs: 300_000 },
  }),
});
