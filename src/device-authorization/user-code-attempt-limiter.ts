import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore } from '../rate-limits/attempt-counter.store';

/**
 * The code-guessing limit of the verification page (RFC 8628 §5.1): every user-code entry
 * counts, per browser session and per IP, in the shared AttemptCounterStore (in-process, or
 * Redis with REDIS_URL). Entries count whether right or wrong: a correct code must not reset
 * the counter, since anyone can start a flow of their own to obtain one. A counter expires
 * `attemptWindowMs` after its latest entry, so entries while blocked keep it blocked.
 */
@Injectable()
export class UserCodeAttemptLimiter {
  constructor(
    @Inject(ATTEMPT_COUNTER_STORE) private readonly store: AttemptCounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Counts one entry. Returns 0 when it may proceed, else the seconds until it may try again.
   * @throws CounterStoreUnavailableError the shared store is down (the page fails closed)
   */
  async attempt(sessionId: string, ip: string): Promise<number> {
    const { maxAttemptsPerSession, maxAttemptsPerIp, attemptWindowMs } = this.config.deviceFlow;
    const [session, byIp] = await this.store.hit(
      [`device-user-code:session:${sessionId}`, `device-user-code:ip:${ip}`],
      attemptWindowMs,
      Date.now(),
    );
    const blocked = session.count > maxAttemptsPerSession || byIp.count > maxAttemptsPerIp;
    return blocked ? Math.ceil(attemptWindowMs / 1000) : 0;
  }
}
