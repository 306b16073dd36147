import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTEMPT_COUNTER_STORE, AttemptCounter, AttemptCounterStore } from '../rate-limits/attempt-counter.store';

/** Whether a second-step attempt may go on; `retryAfter` seconds otherwise. */
export interface SecondStepVerdict {
  retryAfter: number;
}

/**
 * The limit on second-step attempts (codes, recovery codes, passkey assertions): per account and
 * per IP, `MFA_MAX_FAILURES_PER_ACCOUNT` / `_PER_IP` failures within `MFA_FAILURE_WINDOW_SECONDS`
 * of the last one, then `429` until the window has passed. Counters live in the shared
 * AttemptCounterStore (in Redis with `REDIS_URL`, so N instances count as one) under keys of their
 * own (`mfa:…`): they never touch the password step's counters, so nobody is locked out of
 * the password step by them, and only someone who already knows the password can reach them.
 *
 * An attempt is counted before its code is checked (`claim`) and taken back when it succeeds,
 * so a concurrent burst cannot all pass the check. A store that cannot answer rejects with
 * CounterStoreUnavailableError: the second step fails closed (503), like sign-in.
 */
@Injectable()
export class SecondStepThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ATTEMPT_COUNTER_STORE) private readonly store: AttemptCounterStore,
  ) {}

  /** Counts this attempt; a verdict with `retryAfter` > 0 means: refuse it without checking the code. */
  async claim(userId: string, ip: string, now = Date.now()): Promise<SecondStepVerdict> {
    const keys = keysFor(userId, ip);
    const before = await this.store.read(keys);
    const wait = this.waitFor(before, now);
    if (wait > 0) return { retryAfter: wait };
    const after = await this.store.hit(keys, this.config.mfa.failureWindowMs, now);
    // Others counted between the read and the hit (a burst) may have used up the allowance.
    const overtaken = after[0].count > this.config.mfa.maxFailuresPerAccount || after[1].count > this.config.mfa.maxFailuresPerIp;
    if (overtaken) {
      await this.store.undo(keys, this.config.mfa.failureWindowMs);
      return { retryAfter: Math.ceil(this.config.mfa.failureWindowMs / 1000) };
    }
    return { retryAfter: 0 };
  }

  /** True when the account's failures have just reached the ceiling (the failure that locks it: audited and mailed once). */
  async accountAtLimit(userId: string): Promise<boolean> {
    const [account] = await this.store.read([`mfa:acct:${userId}`]);
    return account?.count === this.config.mfa.maxFailuresPerAccount;
  }

  /** The claimed attempt succeeded: it is not a failure. */
  async succeeded(userId: string, ip: string): Promise<void> {
    await this.store.undo(keysFor(userId, ip), this.config.mfa.failureWindowMs);
  }

  /** An admin reset clears the account's counter (not the IP's). */
  async clearAccount(userId: string): Promise<void> {
    await this.store.delete([`mfa:acct:${userId}`]);
  }

  private waitFor([account, ip]: (AttemptCounter | null)[], now: number): number {
    const { maxFailuresPerAccount, maxFailuresPerIp, failureWindowMs } = this.config.mfa;
    const left = (c: AttemptCounter | null, max: number) => (c && c.count >= max ? c.lastAt + failureWindowMs - now : 0);
    const ms = Math.max(left(account, maxFailuresPerAccount), left(ip, maxFailuresPerIp));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }
}

/** [account, IP]; the user id is not personal data in clear the way an email is. */
function keysFor(userId: string, ip: string): string[] {
  return [`mfa:acct:${userId}`, `mfa:ip:${ip}`];
}
