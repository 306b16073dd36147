import type { AppConfig } from '../../src/config/app-config';
import { MemoryAttemptCounterStore } from '../../src/rate-limits/memory-attempt-counter.store';
import { LoginThrottle } from '../../src/sign-in/login-throttle.service';

/** OWASP ASVS V6.3: throttling slows guessing without letting anyone lock the owner out. */
describe('LoginThrottle', () => {
  const WINDOW_MS = 900_000;
  const throttle = () =>
    new LoginThrottle(
      {
        login: { maxFailuresPerAccount: 20, maxFailuresPerIp: 8, freeFailuresPerAccountIp: 3, maxDelayMs: 60_000, windowMs: WINDOW_MS },
      } as AppConfig,
      new MemoryAttemptCounterStore(),
    );
  const A = 'a@example.test';

  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('ASVS V6.3: lets one IP fail a few times, then delays it 1 s, 2 s, 4 s … up to the cap', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      expect((await t.check('10.0.0.1', A)).retryAfter).toBe(0);
      await t.recordFailure('10.0.0.1', A);
    }
    expect(await t.check('10.0.0.1', A)).toMatchObject({ retryAfter: 0 });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await t.recordFailure('10.0.0.1', A);
      const { retryAfter, reason } = await t.check('10.0.0.1', A);
      expect(reason).toBe('account_ip_delay');
      waits.push(retryAfter);
      jest.advanceTimersByTime(retryAfter * 1000);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('ASVS V6.3: never delays the owner on another IP because of someone else’s failures (below the ceiling)', async () => {
    const t = throttle();
    for (let i = 0; i < 6; i++) await t.recordFailure('10.0.0.1', A);
    expect((await t.check('10.0.0.1', A)).retryAfter).toBeGreaterThan(0);
    expect(await t.check('192.0.2.7', A)).toMatchObject({ retryAfter: 0 });
  });

  it('delays an IP that tries many accounts, and only that IP', async () => {
    const t = throttle();
    for (let i = 0; i < 9; i++) await t.recordFailure('10.0.0.1', `user${i}@example.test`);
    expect(await t.check('10.0.0.1', 'fresh@example.test')).toMatchObject({ retryAfter: 1, reason: 'ip_delay' });
    expect((await t.check('10.0.0.2', 'fresh@example.test')).retryAfter).toBe(0);
  });

  it('locks the account at the much higher per-account ceiling, from every IP, until the window ends', async () => {
    const t = throttle();
    const outcomes = [];
    for (let i = 0; i < 20; i++) outcomes.push(await t.recordFailure(`10.0.${i}.1`, A));
    expect(outcomes.filter((o) => o.accountLocked)).toHaveLength(1);
    expect(outcomes[19].accountLocked).toBe(true);
    expect(await t.check('192.0.2.7', A)).toMatchObject({ retryAfter: WINDOW_MS / 1000, reason: 'account_locked' });
    expect((await t.check('192.0.2.7', 'b@example.test')).retryAfter).toBe(0);
    jest.advanceTimersByTime(WINDOW_MS);
    expect((await t.check('192.0.2.7', A)).retryAfter).toBe(0);
  });

  it('an admin clears the account (ceiling and every IP pair); the per-IP counters stay', async () => {
    const t = throttle();
    for (let i = 0; i < 20; i++) await t.recordFailure('10.0.0.1', A);
    expect((await t.accountFailures(A)).locked).toBe(true);
    expect(await t.clearAccount(A)).toBe(2);
    expect(await t.accountFailures(A)).toEqual({ failures: 0, locked: false });
    expect(await t.check('10.0.0.2', A)).toMatchObject({ retryAfter: 0 });
    expect((await t.check('10.0.0.1', 'other@example.test')).reason).toBe('ip_delay');
  });

  it('a correct password clears that IP’s pair counter only', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) await t.recordFailure('10.0.0.1', A);
    // The sign-in claims its attempt before verifying the password; success takes it back.
    await t.claim('10.0.0.1', A, await t.check('10.0.0.1', A));
    await t.recordSuccess('10.0.0.1', A);
    await t.recordFailure('10.0.0.1', A);
    expect(await t.check('10.0.0.1', A)).toMatchObject({ retryAfter: 0 });
    expect((await t.accountFailures(A)).failures).toBe(4);
  });

  it('reports when a delay begins (audited once, not at every failure)', async () => {
    const t = throttle();
    const started = [];
    for (let i = 0; i < 6; i++) started.push((await t.recordFailure('10.0.0.1', A)).delayStarted);
    expect(started).toEqual([false, false, false, true, false, false]);
  });
});
