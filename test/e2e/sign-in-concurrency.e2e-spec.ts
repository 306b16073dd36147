import { startTestApp, TestApp } from './support/test-app';
import { createUser, TEST_PASSWORD } from './support/users.fixture';

/**
 * OWASP ASVS V6.3 under concurrency: the sign-in throttle must hold for requests sent together,
 * not only one after another. Checking the counters, verifying the password (slow: scrypt) and
 * only then counting the failure let every request of a burst pass the check before any failure
 * was counted: a burst of N guesses got N password checks instead of the free allowance.
 * An attempt now claims its place in the counters before the password is verified.
 */
describe('sign-in throttling holds for concurrent guesses', () => {
  let t: TestApp;
  const login = (email: string, password: string, ip: string) =>
    t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl, headers: { 'x-forwarded-for': ip } });

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      LOGIN_FREE_FAILURES_PER_ACCOUNT_IP: '2',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '4',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
    });
  });
  afterAll(() => t.close());

  it('ASVS V6.3: a burst of 12 wrong passwords from one IP gets at most the free failures + 1 password checks', async () => {
    const { email } = await createUser(t);
    const results = await Promise.all(Array.from({ length: 12 }, () => login(email, 'wrong', '198.51.100.77')));
    const statuses = results.map((r) => r.status).sort();
    const checked = statuses.filter((s) => s === 401).length;
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(checked).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  it('ASVS V6.3: successful sign-ins do not count towards the account limit (the owner is never locked out by signing in)', async () => {
    const { email } = await createUser(t);
    for (let i = 0; i < 6; i++) expect((await login(email, TEST_PASSWORD, '203.0.113.50')).status).toBe(200);
  });
});
