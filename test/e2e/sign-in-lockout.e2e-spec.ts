import { auditForTarget, detailsOf, signedInAdmin } from './support/admin.fixture';
import { cliDatabase, runCli } from './support/cli.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TEST_PASSWORD } from './support/users.fixture';

/**
 * Issue 9 item 15 (OWASP ASVS V6.3): failed sign-ins slow the guesser down without locking the
 * owner out; only a much higher per-account ceiling locks, an admin clears it, lockouts are audited.
 * Client IPs come from X-Forwarded-For (TRUST_PROXY=true), as behind a load balancer.
 */
describe('sign-in throttling and lockout', () => {
  let t: TestApp;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const login = (email: string, password: string, ip: string) =>
    t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl, headers: from(ip) });

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      LOGIN_FREE_FAILURES_PER_ACCOUNT_IP: '2',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '6',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
    });
  });
  afterAll(() => t.close());

  it('ASVS V6.3: an attacker’s failures delay the attacker’s IP (1 s, then 2 s) but never the owner elsewhere', async () => {
    const { email } = await createUser(t);
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong', '198.51.100.1')).status).toBe(401);
    const delayed = await login(email, TEST_PASSWORD, '198.51.100.1');
    expect(delayed.status).toBe(429);
    expect(delayed.headers.get('retry-after')).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await login(email, 'wrong', '198.51.100.1')).status).toBe(401);
    expect((await login(email, 'wrong', '198.51.100.1')).headers.get('retry-after')).toBe('2');

    // The owner, from their own IP, signs in at once.
    expect((await login(email, TEST_PASSWORD, '203.0.113.9')).status).toBe(200);
  });

  it('ASVS V6.3: past the per-account ceiling (from many IPs) the account is locked everywhere, and that is audited once', async () => {
    const { email, user } = await createUser(t);
    for (let i = 0; i < 6; i++) expect((await login(email, 'wrong', `198.51.100.${10 + i}`)).status).toBe(401);
    const locked = await login(email, TEST_PASSWORD, '203.0.113.9');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const lockouts = await auditForTarget(t, user.id, 'auth.account_locked');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ outcome: 'denied', ip: '198.51.100.15' });
    expect(detailsOf(lockouts[0])).toEqual({ email });
  });

  it('an admin clears the lockout through the API (audited): the owner signs in again', async () => {
    const admin = await signedInAdmin(t);
    const { email, user } = await createUser(t);
    for (let i = 0; i < 6; i++) await login(email, 'wrong', `198.51.100.${30 + i}`);
    expect((await login(email, TEST_PASSWORD, '203.0.113.9')).status).toBe(429);

    const res = await t.http.post(`/admin/users/${user.id}/unlock`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ countersCleared: 7 });
    const [row] = await auditForTarget(t, user.id, 'admin.user.unlock');
    expect(row).toMatchObject({ actorId: admin.user.id, outcome: 'success' });
    expect((await login(email, TEST_PASSWORD, '203.0.113.9')).status).toBe(200);
    expect((await t.http.post('/admin/users/00000000-0000-4000-8000-000000000000/unlock', { cookie: admin.cookie })).status).toBe(404);
  });

  it('an admin sees the failures on the user page and clears them with its button', async () => {
    const admin = await signedInAdmin(t);
    const { email, user } = await createUser(t);
    for (let i = 0; i < 6; i++) await login(email, 'wrong', `198.51.100.${50 + i}`);
    const page = await t.http.get(`/admin/ui/users/${user.id}`, { cookie: admin.cookie });
    expect(page.text).toMatch(/data-testid="sign-in-failures">6 \(locked\)</);
    const res = await t.http.post(`/admin/ui/users/${user.id}/unlock`, { cookie: admin.cookie, form: { _csrf: csrfFromPage(page.text) } });
    expect(res.status).toBe(303);
    const after = await t.http.get(res.headers.get('location')!, { cookie: admin.cookie });
    expect(after.text).toContain('Failed sign-ins cleared');
    expect(after.text).toMatch(/data-testid="sign-in-failures">0</);
    expect((await login(email, TEST_PASSWORD, '203.0.113.9')).status).toBe(200);
  });

  it('a non-admin cannot clear anyone’s lockout (403)', async () => {
    const { user } = await createUser(t);
    const other = await createUser(t);
    const cookie = await (await import('./support/users.fixture')).signIn(t, other.email);
    expect((await t.http.post(`/admin/users/${user.id}/unlock`, { cookie })).status).toBe(403);
  });
});

describe('user:unlock without REDIS_URL', () => {
  const db = cliDatabase('unlock');
  afterAll(() => db.dispose());

  it('explains that in-process counters are out of its reach, and fails', async () => {
    jest.setTimeout(60_000);
    const res = await runCli(db.url, ['user:unlock', '--email', 'someone@example.test'], { REDIS_URL: '' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('/admin/users/<id>/unlock');
  }, 60_000);
});

describe('sign-in when the shared counter store (Redis) is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    t = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1/6' });
  });
  afterAll(() => t.close());

  it('fails closed: 503 with Retry-After, for JSON and for the form', async () => {
    const { email } = await createUser(t);
    const json = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl });
    expect(json.status).toBe(503);
    expect(json.headers.get('retry-after')).toBe('5');
    expect(json.body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
    const form = await t.http.post('/auth/login', { form: { email, password: TEST_PASSWORD }, origin: t.baseUrl });
    expect(form.status).toBe(503);
    expect(form.text).toContain('Sign-in is temporarily unavailable');
  });

  it('the per-IP ceiling fails open: other routes still answer', async () => {
    expect((await t.http.get('/health')).status).toBe(200);
    expect((await t.http.get('/devices')).status).toBe(401);
  });

  it('/health/ready names Redis as down', async () => {
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: { status: 'up' }, redis: { status: 'down' } });
  });
});
