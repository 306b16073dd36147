import { Injectable } from '@nestjs/common';
import type { AttemptCount, AttemptCounterStore } from './attempt-counter.store';

interface Window {
  count: number;
  resetAt: number;
}

/** Sweep expired windows once the map holds this many keys, so memory stays bounded. */
const SWEEP_AT = 100_000;

/** The in-process AttemptCounterStore: one instance's view (see the interface for sharing it). */
@Injectable()
export class InMemoryAttemptCounterStore implements AttemptCounterStore {
  private readonly windows = new Map<string, Window>();

  increment(key: string, windowMs: number): Promise<AttemptCount> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return Promise.resolve({ count: w.count, resetInMs: w.resetAt - now });
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
