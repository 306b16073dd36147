import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTEMPT_COUNTER_STORE, AttemptCounter, AttemptCounterStore } from '../rate-limits/attempt-counter.store';

/** Why a sign-in must wait. `account_locked` is the per-account ceiling; the others are delays. */
export type ThrottleReason = 'account_locked' | 'account_ip_delay' | 'ip_delay';

export interface ThrottleVerdict {
  /** Seconds until the caller may try again; 0: try now. */
  retryAfter: number;
  reason?: ThrottleReason;
  /** The counts `check` read ([account, (account, IP), IP]), for `claim` to spot concurrent attempts. */
  seen?: number[];
}

/** What one recorded failure changed: a new lockout or a delay that just started is audited. */
export interface FailureOutcome {
  accountLocked: boolean;
  delayStarted: boolean;
}

/**
 * Sign-in throttling that slows guessing without locking the owner out (OWASP ASVS V6.3):
 *
 * - per (account, IP): after `freeFailuresPerAccountIp` failures, each further try waits
 *   1 s, 2 s, 4 s, … up to `maxDelayMs` after the previous failure;
 * - per IP (any account): the same doubling delay after `maxFailuresPerIp` failures;
 * - per account (every IP): a much higher ceiling, `maxFailuresPerAccount`; past it the account
 *   is locked until `windowMs` after its last failure, or until an admin clears it.
 *
 * The owner signing in from their own IP is only stopped by that ceiling, which takes a
 * distributed attack to reach. Only failures count. Counters live in the AttemptCounterStore
 * (in-process, or Redis so every instance shares them); emails are hashed in the keys.
 *
 * An attempt is counted before its password is verified (`claim`), and taken back when it
 * succeeds (`recordSuccess`): checking, then verifying (scrypt, slow), then counting would let
 * every request of a concurrent burst pass the check before the first failure was counted.
 *
 * Errors: rejects with CounterStoreUnavailableError when the shared store is down (the
 * controller fails closed: 503).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ATTEMPT_COUNTER_STORE) private readonly store: AttemptCounterStore,
  ) {}

  /** True when the counters live in Redis, where another process (the CLI) can reach them. */
  get sharedAcrossProcesses(): boolean {
    return Boolean(this.config.redisUrl);
  }

  async check(ip: string, email: string, now = Date.now()): Promise<ThrottleVerdict> {
    const { maxFailuresPerAccount, maxFailuresPerIp, freeFailuresPerAccountIp, windowMs } = this.config.login;
    const [account, accountIp, byIp] = await this.store.read(keysFor(ip, email));
    const waits: [number, ThrottleReason][] = [
      [account && account.count >= maxFailuresPerAccount ? account.lastAt + windowMs - now : 0, 'account_locked'],
      [this.delayLeft(accountIp, freeFailuresPerAccountIp, now), 'account_ip_delay'],
      [this.delayLeft(byIp, maxFailuresPerIp, now), 'ip_delay'],
    ];
    const [ms, reason] = waits.reduce((a, b) => (b[0] > a[0] ? b : a));
    const seen = [account?.count ?? 0, accountIp?.count ?? 0, byIp?.count ?? 0];
    return ms > 0 ? { retryAfter: Math.ceil(ms / 1000), reason, seen } : { retryAfter: 0, seen };
  }

  /**
   * Counts this attempt (as a failure until `recordSuccess` takes it back) after `check` let it
   * through. When other attempts were counted between the check and this claim (a concurrent
   * burst) and they used up the free allowance, this one must wait as if it had come after them:
   * `retryAfter` > 0, and the password must not be verified. `accountLocked`/`delayStarted` say
   * whether this attempt, should it fail, began a lockout or a delay.
   */
  async claim(ip: string, email: string, checked: ThrottleVerdict, now = Date.now()): Promise<ThrottleVerdict & FailureOutcome> {
    const { maxFailuresPerAccount, maxFailuresPerIp, freeFailuresPerAccountIp, windowMs, maxDelayMs } = this.config.login;
    const [account, accountIp, byIp] = await this.store.hit(keysFor(ip, email), windowMs, now);
    const [, seenAccountIp, seenIp] = checked.seen ?? [0, 0, 0];
    // Past the free allowance, only the attempt that directly follows what `check` saw may go on.
    const overtaken = (count: number, seen: number, free: number) => count !== seen + 1 && count - 1 > free;
    const outcome: FailureOutcome = {
      accountLocked: account.count === maxFailuresPerAccount,
      delayStarted: accountIp.count === freeFailuresPerAccountIp + 1 || byIp.count === maxFailuresPerIp + 1,
    };
    const delay = (count: number, free: number) => Math.min(1000 * 2 ** Math.min(Math.max(count - 1 - free - 1, 0), 30), maxDelayMs);
    const waits: [number, ThrottleReason][] = [
      [account.count > maxFailuresPerAccount ? windowMs : 0, 'account_locked'],
      [
        overtaken(accountIp.count, seenAccountIp, freeFailuresPerAccountIp) ? delay(accountIp.count, freeFailuresPerAccountIp) : 0,
        'account_ip_delay',
      ],
      [overtaken(byIp.count, seenIp, maxFailuresPerIp) ? delay(byIp.count, maxFailuresPerIp) : 0, 'ip_delay'],
    ];
    const [ms, reason] = waits.reduce((a, b) => (b[0] > a[0] ? b : a));
    return ms > 0 ? { retryAfter: Math.ceil(ms / 1000), reason, ...outcome } : { retryAfter: 0, ...outcome };
  }

  /** Counts one failure without a claim (an attempt known to have failed). */
  async recordFailure(ip: string, email: string, now = Date.now()): Promise<FailureOutcome> {
    const { accountLocked, delayStarted } = await this.claim(ip, email, { retryAfter: 0 }, now);
    return { accountLocked, delayStarted };
  }

  /**
   * A correct password from this IP: the attempt `claim` counted is taken back from the account
   * and IP counters, and the (account, IP) counter starts again.
   */
  async recordSuccess(ip: string, email: string): Promise<void> {
    const [account, accountIp, byIp] = keysFor(ip, email);
    await this.store.undo([account, byIp], this.config.login.windowMs);
    await this.store.delete([accountIp]);
  }

  /** An admin clears an account: its ceiling and every (account, IP) counter. Per-IP counters stay. */
  async clearAccount(email: string): Promise<number> {
    const h = emailHash(email);
    const [account] = await this.store.read([`login:acct:${h}`]);
    await this.store.delete([`login:acct:${h}`]);
    const pairs = await this.store.deletePrefix(`login:aip:${h}:`);
    return (account ? 1 : 0) + pairs;
  }

  /** The account's current failure count (for the admin view). */
  async accountFailures(email: string): Promise<{ failures: number; locked: boolean }> {
    const [account] = await this.store.read([`login:acct:${emailHash(email)}`]);
    const failures = account?.count ?? 0;
    return { failures, locked: failures >= this.config.login.maxFailuresPerAccount };
  }

  /** 1 s after the first failure past the free ones, doubling, capped. */
  private delayLeft(counter: AttemptCounter | null, free: number, now: number): number {
    if (!counter || counter.count <= free) return 0;
    const delay = Math.min(1000 * 2 ** Math.min(counter.count - free - 1, 30), this.config.login.maxDelayMs);
    return counter.lastAt + delay - now;
  }
}

function emailHash(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 32);
}

/** [account, (account, IP), IP]. */
function keysFor(ip: string, email: string): string[] {
  const h = emailHash(email);
  return [`login:acct:${h}`, `login:aip:${h}:${ip}`, `login:ip:${ip}`];
}
