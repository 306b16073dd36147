import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore } from './attempt-counter.store';

/**
 * The code-guessing limit of the verification page (RFC 8628 §5.1): every user-code entry
 * counts, per browser session and per IP, in a fixed window. Entries count whether right or
 * wrong: a correct code must not reset the counter, since anyone can start a flow of their own
 * to obtain one.
 */
@Injectable()
export class UserCodeAttemptLimiter {
  constructor(
    @Inject(ATTEMPT_COUNTER_STORE) private readonly store: AttemptCounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one entry. Returns 0 when it may proceed, else the seconds until it may try again. */
  async attempt(sessionId: string, ip: string): Promise<number> {
    const { maxAttemptsPerSession, maxAttemptsPerIp, attemptWindowMs } = this.config.deviceFlow;
    const [session, byIp] = await Promise.all([
      this.store.increment(`device-user-code:session:${sessionId}`, attemptWindowMs),
      this.store.increment(`device-user-code:ip:${ip}`, attemptWindowMs),
    ]);
    const waits = [
      session.count > maxAttemptsPerSession ? session.resetInMs : 0,
      byIp.count > maxAttemptsPerIp ? byIp.resetInMs : 0,
    ];
    const wait = Math.max(...waits);
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : 0;
  }
}
