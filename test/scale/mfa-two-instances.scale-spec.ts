import { SessionCookieService } from '../../src/sessions/session-cookie.service';
import { signedInAdmin } from '../e2e/support/admin.fixture';
import { cookiePair } from '../e2e/support/http-client';
import { awayFromStepEdge, enrolTotp, totpCode } from '../e2e/support/mfa.fixture';
import { startTestApp, TestApp } from '../e2e/support/test-app';
import { createUser, signedInUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { flushTestRedis, freshDatabase, Instance, REDIS_URL, SHARED_SESSION_KEY, startInstances } from './support/instance';

/**
 * Issue 25 "Done when": two real server processes, A and B, on one MariaDB database and one Redis.
 * A TOTP code accepted on A is refused on B (RFC 6238 §5.2: one use, the row's last used step is
 * the shared state); the second step's attempt limit counts A's and B's failures together (Redis);
 * a policy change made on A applies to the next sign-in on B (read from the database per sign-in).
 * C is an in-process instance on the same database and Redis that makes the fixtures' users.
 */
describe('MFA on two instances (MariaDB + Redis)', () => {
  let a: Instance;
  let b: Instance;
  let c: TestApp;
  const env = { TRUST_PROXY: 'true', MFA_MAX_FAILURES_PER_ACCOUNT: '4', MFA_MAX_FAILURES_PER_IP: '100' };

  beforeAll(async () => {
    const url = await freshDatabase('mfa');
    await flushTestRedis();
    [a, b] = await startInstances([0, 1].map(() => ({ ...env, DATABASE_URL: url, REDIS_URL })));
    c = await startTestApp({ ...env, DATABASE_URL: url, REDIS_URL, SESSION_KEYS: SHARED_SESSION_KEY });
  });
  afterAll(async () => {
    await c?.close();
    const codes = await Promise.all([a, b].filter(Boolean).map((i) => i.stop()));
    expect(codes).toEqual([0, 0]);
  });

  /** The password step on instance `i` (JSON): the session cookie and the answer. */
  async function passwordOn(i: Instance, email: string, ip = '198.51.100.10') {
    const res = await i.http.post('/auth/login', {
      json: { email, password: TEST_PASSWORD },
      origin: i.url,
      headers: { 'x-forwarded-for': ip },
    });
    expect(res.status).toBe(200);
    const cookie = cookiePair(res.setCookies, c.get<SessionCookieService>(SessionCookieService).name)!;
    return { cookie, body: res.body as { pendingStep?: string } };
  }
  const totpOn = (i: Instance, cookie: string, code: string, ip = '198.51.100.10') =>
    i.http.post('/login/second-factor/totp', { cookie, json: { code }, headers: { 'x-forwarded-for': ip } });

  it('RFC 6238 §5.2: a code accepted on A is refused on B; the next step’s code works on B', async () => {
    const u = await signedInUser(c);
    const { secret } = await enrolTotp(c, u.cookie);
    await awayFromStepEdge();
    const onA = await passwordOn(a, u.email);
    const onB = await passwordOn(b, u.email);
    expect([onA.body.pendingStep, onB.body.pendingStep]).toEqual(['mfa', 'mfa']);
    const code = await totpCode(secret);
    expect((await totpOn(a, onA.cookie, code)).status).toBe(200);
    const replay = await totpOn(b, onB.cookie, code);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('wrong_code');
    expect((await b.http.get('/me', { cookie: onB.cookie })).status).toBe(403);
    expect((await totpOn(b, onB.cookie, await totpCode(secret, +1))).status).toBe(200);
    expect((await b.http.get('/me', { cookie: onB.cookie })).status).toBe(200);
  });

  it('the same code sent to A and B at once is accepted exactly once', async () => {
    const u = await signedInUser(c);
    const { secret } = await enrolTotp(c, u.cookie);
    await awayFromStepEdge();
    const [onA, onB] = await Promise.all([passwordOn(a, u.email), passwordOn(b, u.email)]);
    const code = await totpCode(secret);
    const answers = await Promise.all([totpOn(a, onA.cookie, code), totpOn(b, onB.cookie, code)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('the second step’s account limit is shared: 2 wrong codes on A and 2 on B, then both refuse with 429 (even the right code)', async () => {
    const u = await signedInUser(c);
    const { secret } = await enrolTotp(c, u.cookie);
    const onA = await passwordOn(a, u.email, '198.51.100.21');
    const onB = await passwordOn(b, u.email, '198.51.100.22');
    for (const [i, s, ip] of [
      [a, onA, '198.51.100.21'],
      [b, onB, '198.51.100.22'],
      [a, onA, '198.51.100.23'],
      [b, onB, '198.51.100.24'],
    ] as const) {
      expect((await totpOn(i, s.cookie, '000000', ip)).status).toBe(401);
    }
    const lockedA = await totpOn(a, onA.cookie, await totpCode(secret, +1), '198.51.100.25');
    expect(lockedA.status).toBe(429);
    expect(Number(lockedA.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await totpOn(b, onB.cookie, await totpCode(secret, +1), '198.51.100.26')).status).toBe(429);
  });

  it('a policy change made on A applies to the next sign-in on B at once (no cache between them)', async () => {
    const admin = await signedInAdmin(c);
    const user = await createUser(c);
    expect((await passwordOn(b, user.email)).body.pendingStep).toBeUndefined();
    const set = await a.http.put('/admin/mfa/policy', { cookie: admin.cookie, json: { required: 'all' } });
    expect(set.status).toBe(200);
    expect((await passwordOn(b, user.email)).body.pendingStep).toBe('mfa-enrol');
    expect((await b.http.get('/admin/mfa/policy', { cookie: admin.cookie })).body).toMatchObject({ required: 'all', source: 'admin' });
    expect((await a.http.put('/admin/mfa/policy', { cookie: admin.cookie, json: { required: 'none' } })).status).toBe(200);
    expect((await passwordOn(b, user.email)).body.pendingStep).toBeUndefined();
  });
});
