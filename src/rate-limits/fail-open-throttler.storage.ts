import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

/**
 * Wraps the shared (Redis) throttler storage so that the request ceilings fail OPEN when Redis is
 * down: a plain rate limit is not worth an outage of the whole API. Every refusal to count is
 * logged as an error (at most once every 10 s, so the log stays readable under load) and counted
 * (`gatehouse_rate_limit_store_errors_total`).
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastLogAt = 0;

  constructor(
    private readonly inner: ThrottlerStorage,
    private readonly onError: () => void = () => undefined,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.inner.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (err) {
      this.onError();
      const now = Date.now();
      if (now - this.lastLogAt > 10_000) {
        this.lastLogAt = now;
        this.logger.error(
          `Rate-limit store unavailable (${err instanceof Error ? err.message : String(err)}): request ceilings are NOT enforced until Redis is back`,
        );
      }
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
