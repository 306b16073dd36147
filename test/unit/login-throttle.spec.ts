import type { AppConfig } from '../../src/config/app-config';
import { LoginThrottle } from '../../src/sessions/login-throttle.service';

describe('LoginThrottle', () => {
  const WINDOW_MS = 60_000;
  const throttle = () =>
    new LoginThrottle({ login: { maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowMs: WINDOW_MS } } as AppConfig);

  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('lets an account try until its failure limit, then asks it to wait for the rest of the window', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter('10.0.0.1', 'a@example.test')).toBe(0);
      t.recordFailure('10.0.0.1', 'a@example.test');
    }
    expect(t.retryAfter('10.0.0.1', 'a@example.test')).toBe(60);
    jest.advanceTimersByTime(45_000);
    expect(t.retryAfter('10.0.0.1', 'a@example.test')).toBe(15);
  });

  it('limits the account from every IP, and only that account', () => {
    const t = throttle();
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) t.recordFailure(ip, 'a@example.test');
    expect(t.retryAfter('10.0.0.9', 'a@example.test')).toBeGreaterThan(0);
    expect(t.retryAfter('10.0.0.9', 'b@example.test')).toBe(0);
  });

  it('limits an IP that tries many accounts', () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) t.recordFailure('10.0.0.1', `user${i}@example.test`);
    expect(t.retryAfter('10.0.0.1', 'fresh@example.test')).toBeGreaterThan(0);
    expect(t.retryAfter('10.0.0.2', 'fresh@example.test')).toBe(0);
  });

  it('forgets failures when the window ends', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) t.recordFailure('10.0.0.1', 'a@example.test');
    jest.advanceTimersByTime(WINDOW_MS);
    expect(t.retryAfter('10.0.0.1', 'a@example.test')).toBe(0);
    t.recordFailure('10.0.0.1', 'a@example.test');
    expect(t.retryAfter('10.0.0.1', 'a@example.test')).toBe(0);
  });

  it('clears the account count on a successful sign-in (the IP count stays)', () => {
    const t = throttle();
    for (let i = 0; i < 2; i++) t.recordFailure('10.0.0.1', 'a@example.test');
    t.recordSuccess('a@example.test');
    t.recordFailure('10.0.0.1', 'a@example.test');
    expect(t.retryAfter('10.0.0.1', 'a@example.test')).toBe(0);
    for (let i = 0; i < 2; i++) t.recordFailure('10.0.0.1', `other${i}@example.test`);
    expect(t.retryAfter('10.0.0.1', 'new@example.test')).toBeGreaterThan(0);
  });
});
