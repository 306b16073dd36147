import { Injectable } from '@nestjs/common';

type Listener = (event: { limiter: string } | { storeError: true }) => void;

/**
 * Rate-limit happenings (a rejection by a named limiter, a store error), for metrics to count.
 * The limits module cannot depend on the metrics module (it comes first), so metrics subscribe.
 */
@Injectable()
export class RateLimitEvents {
  private readonly listeners: Listener[] = [];

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  rejected(limiter: string): void {
    for (const l of this.listeners) l({ limiter });
  }

  storeError(): void {
    for (const l of this.listeners) l({ storeError: true });
  }
}
