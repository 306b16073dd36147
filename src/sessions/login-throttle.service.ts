import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';

interface Window {
  failures: number;
  resetAt: number;
}

/**
 * Counts failed sign-ins per IP and per account in a fixed window. Only failures count, so a
 * person who signs in correctly is never slowed down. In-memory: one instance's view. A
 * multi-instance deployment should put this behind a shared store.
 */
@Injectable()
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Seconds until the caller may try again, or 0 when it may try now. */
  retryAfter(ip: string, email: string): number {
    const now = Date.now();
    const { maxFailuresPerIp, maxFailuresPerAccount } = this.config.login;
    const waits = [
      this.blockedFor(`ip:${ip}`, maxFailuresPerIp, now),
      this.blockedFor(`account:${email}`, maxFailuresPerAccount, now),
    ];
    return Math.max(...waits);
  }

  recordFailure(ip: string, email: string): void {
    const now = Date.now();
    for (const key of [`ip:${ip}`, `account:${email}`]) {
      const w = this.windows.get(key);
      if (!w || w.resetAt <= now) this.windows.set(key, { failures: 1, resetAt: now + this.config.login.windowMs });
      else w.failures++;
    }
    if (this.windows.size > 100_000) this.sweep(now);
  }

  recordSuccess(email: string): void {
    this.windows.delete(`account:${email}`);
  }

  private blockedFor(key: string, limit: number, now: number): number {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now || w.failures < limit) return 0;
    return Math.ceil((w.resetAt - now) / 1000);
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
