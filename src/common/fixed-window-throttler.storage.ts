import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  /** Epoch ms when this window ends. */
  endsAt: number;
  /** Epoch ms until which the key is blocked (0: not blocked). */
  blockedUntil: number;
}

/**
 * In-process storage for @nestjs/throttler with fixed windows: one counter per key, so a hit
 * costs O(1) whatever the traffic (the library's default keeps a list of hit times per key and
 * filters it on every request). Expired windows are swept once per `sweepMs`.
 *
 * A fixed window admits up to 2× the limit across a window boundary; for ceilings against abuse
 * that is the usual trade (Redis-backed limiters make the same one).
 */
@Injectable()
export class FixedWindowThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepMs = 60_000) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), sweepMs);
    this.sweeper.unref();
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /**
   * Counts one hit for `key`. `ttl` and `blockDuration` are in milliseconds; the returned
   * `timeToExpire` / `timeToBlockExpire` are in seconds, as the throttler guard expects.
   */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w || (w.endsAt <= now && w.blockedUntil <= now)) {
      w = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, w);
    } else if (w.endsAt <= now) {
      w.hits = 0;
      w.endsAt = now + ttl;
    }
    if (w.blockedUntil <= now) {
      w.hits += 1;
      if (w.hits > limit) w.blockedUntil = now + (blockDuration > 0 ? blockDuration : w.endsAt - now);
    }
    const isBlocked = w.blockedUntil > now;
    return {
      totalHits: w.hits,
      timeToExpire: Math.ceil((w.endsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((w.blockedUntil - now) / 1000) : 0,
    };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(now: number): void {
    for (const [id, w] of this.windows) if (w.endsAt <= now && w.blockedUntil <= now) this.windows.delete(id);
  }
}
