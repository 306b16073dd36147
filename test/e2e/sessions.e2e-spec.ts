import { rawQuery } from '../support/shared-database';
import { EncryptJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Session } from '../../src/sessions/session.entity';
import { SessionsService } from '../../src/sessions/sessions.service';
import { cookiePair } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn, signedInUser, TEST_PASSWORD } from './support/users.fixture';

describe('sessions: sign-in, cookie, CSRF, session management', () => {
  let t: TestApp;
  let cookieName: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' });
    cookieName = '__Host-gatehouse_session';
  });
  afterAll(() => t.close());

  const auditRows = (action: string) => t.dataSource.getRepository(AuditEvent).findBy({ action });

  describe('POST /auth/login', () => {
    it('signs in with JSON and sets a hardened session cookie', async () => {
      const { email, user } = await createUser(t);
      const res = await t.http.post('/auth/login', { json: { email: email.toUpperCase(), password: TEST_PASSWORD }, origin: t.baseUrl });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({ id: user.id, email, displayName: 'Test User' });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const line = res.setCookies.find((c) => c.startsWith(`${cookieName}=`))!;
      expect(line).toBeDefined();
      expect(line).toMatch(/; Path=\//);
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; Secure/);
      expect(line).toMatch(/; SameSite=Lax/);
      expect(line).toMatch(/; Max-Age=43200/);
      expect(line).not.toMatch(/Domain=/);
      // The value is a JWE (five dot-separated parts), not the session secret.
      const value = line.split(';')[0].split('=')[1];
      expect(value.split('.')).toHaveLength(5);
      expect(value).not.toContain('ghss_');
      const rows = await auditRows('auth.login');
      expect(rows.some((r) => r.actorId === user.id && r.outcome === 'success')).toBe(true);
    });

    it('records how and when the user authenticated (OpenID Connect Core §2 auth_time/amr): password sign-in is ["pwd"]', async () => {
      const { email } = await createUser(t);
      const before = Date.now();
      const res = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl });
      expect(res.status).toBe(200);
      const sessions = t.app.get(SessionsService);
      const row = await t.dataSource.getRepository(Session).findOneByOrFail({ id: res.body.sessionId });
      expect(row.amr).toEqual(['pwd']);
      expect(row.acr).toBeNull();
      expect(row.authTime!.getTime()).toBeGreaterThanOrEqual(before - 5);
      // A second factor (the MFA step) re-records the session's authentication.
      const later = new Date(Date.now() + 1000);
      expect(await sessions.recordAuthentication(row.id, { amr: ['pwd', 'otp', 'mfa'] }, later)).toBe(true);
      const updated = await t.dataSource.getRepository(Session).findOneByOrFail({ id: row.id });
      expect(updated.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(updated.authTime!.getTime()).toBe(later.getTime());
      expect(await sessions.recordAuthentication('00000000-0000-0000-0000-000000000000', { amr: ['pwd'] })).toBe(false);
    });

    it('signs in with the HTML form and redirects (303) to the requested page', async () => {
      const { email } = await createUser(t);
      const res = await t.http.post('/auth/login', { form: { email, password: TEST_PASSWORD, next: '/account' }, origin: t.baseUrl });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account');
      expect(cookiePair(res.setCookies, cookieName)).toBeDefined();
    });

    it('refuses an off-site `next` (no open redirect)', async () => {
      const { email } = await createUser(t);
      const res = await t.http.post('/auth/login', {
        form: { email, password: TEST_PASSWORD, next: '//evil.example/x' },
        origin: t.baseUrl,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account');
    });

    it('answers a wrong password and an unknown email with the same 401 and message', async () => {
      const { email, user } = await createUser(t);
      const wrong = await t.http.post('/auth/login', { json: { email, password: 'nope' }, origin: t.baseUrl });
      const unknown = await t.http.post('/auth/login', { json: { email: 'nobody@example.test', password: 'nope' }, origin: t.baseUrl });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe(unknown.body.message);
      expect(wrong.body.error).toBe('invalid_credentials');
      expect(wrong.setCookies).toHaveLength(0);
      const rows = await auditRows('auth.login');
      expect(rows.some((r) => r.actorId === user.id && r.outcome === 'failed')).toBe(true);
    });

    it('refuses a disabled user with the same message', async () => {
      const { email, user } = await createUser(t);
      await rawQuery(t.dataSource, 'UPDATE users SET status = ? WHERE id = ?', ['disabled', user.id]);
      const res = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Email or password is incorrect');
    });

    it('rate-limits failed sign-ins per account: 429 with Retry-After', async () => {
      const { email } = await createUser(t);
      for (let i = 0; i < 3; i++) {
        expect((await t.http.post('/auth/login', { json: { email, password: 'bad' }, origin: t.baseUrl })).status).toBe(401);
      }
      const limited = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body.error).toBe('too_many_requests');
    });

    it('validates the body: 400 listing the fields', async () => {
      const res = await t.http.post('/auth/login', { json: { email: 'not-an-email' }, origin: t.baseUrl });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password']);
    });

    it('refuses a cross-site sign-in post (login CSRF)', async () => {
      const { email } = await createUser(t);
      const res = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('csrf_failed');
    });

    it('a script signs in with JSON and no Origin (curl); a form or a JSON post carrying a cross-site Origin or Sec-Fetch-Site is still refused', async () => {
      const { email } = await createUser(t);
      const script = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: null });
      expect(script.status).toBe(200);
      const form = await t.http.post('/auth/login', { form: { email, password: TEST_PASSWORD }, origin: null });
      expect(form.status).toBe(403);
      const crossSite = await t.http.post('/auth/login', {
        json: { email, password: TEST_PASSWORD },
        origin: null,
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(crossSite.status).toBe(403);
      // With a session cookie present, the same-origin rule applies as before.
      const cookie = script.setCookies.find((c) => c.startsWith('__Host-gatehouse_session='))!.split(';')[0];
      const again = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: null, cookie });
      expect(again.status).toBe(403);
    });

    it('issues a new session id at every sign-in (no fixation)', async () => {
      const { email } = await createUser(t);
      const first = await signIn(t, email);
      const again = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, cookie: first });
      const second = cookiePair(again.setCookies, cookieName)!;
      expect(second).not.toEqual(first);
      expect((await t.http.get('/account/sessions', { cookie: first, headers: { accept: 'application/json' } })).status).toBe(401);
      expect((await t.http.get('/account/sessions', { cookie: second })).status).toBe(200);
    });
  });

  describe('the session cookie', () => {
    it('authenticates the device API', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.get('/devices', { cookie });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('refuses a tampered cookie', async () => {
      const { cookie } = await signedInUser(t);
      const [name, value] = cookie.split('=');
      const parts = value.split('.');
      const ct = parts[3];
      parts[3] = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
      const res = await t.http.get('/devices', { cookie: `${name}=${parts.join('.')}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    });

    it('refuses a cookie sealed with a key that is not configured', async () => {
      // A well-formed JWE for a live session secret, but sealed under a foreign key.
      const { user } = await signedInUser(t);
      const { session, secret } = await t
        .get<SessionsService>(SessionsService)
        .start(user, { ip: '127.0.0.1', userAgent: null, requestId: 'x' });
      const forged = await new EncryptJWT({ sid: secret })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'lU_HJ5tn' })
        .setExpirationTime('1h')
        .encrypt(new Uint8Array(randomBytes(32)));
      expect(session.id).toBeDefined();
      expect((await t.http.get('/devices', { cookie: `${cookieName}=${forged}` })).status).toBe(401);
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated unsafe request from another origin', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.post('/devices', { cookie, json: { name: 'x' }, origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('csrf_failed');
    });

    it('refuses a cookie-authenticated unsafe request with no Origin at all', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.post('/devices', { cookie, json: { name: 'x' }, origin: null });
      expect(res.status).toBe(403);
    });

    it('refuses a cross-site request flagged by Sec-Fetch-Site', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.post('/devices', { cookie, json: { name: 'x' }, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(res.status).toBe(403);
    });

    it('refuses a same-origin form post without the CSRF token, accepts it with the token', async () => {
      const { cookie } = await signedInUser(t);
      const page = await t.http.get('/account', { cookie });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const without = await t.http.post('/account/sessions/revoke-others', { cookie, form: {} });
      expect(without.status).toBe(403);
      const withToken = await t.http.post('/account/sessions/revoke-others', { cookie, form: { _csrf: token } });
      expect(withToken.status).toBe(303);
    });

    it('does not apply to safe methods', async () => {
      const { cookie } = await signedInUser(t);
      expect((await t.http.get('/devices', { cookie, origin: 'https://evil.example' })).status).toBe(200);
    });
  });

  describe('account sessions', () => {
    it('lists the caller’s sessions, marks the current one, and ends another', async () => {
      const { email } = await createUser(t);
      const a = await signIn(t, email);
      const b = await signIn(t, email);
      const list = await t.http.get('/account/sessions', { cookie: a, headers: { 'user-agent': 'agent-a' } });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      const current = list.body.items.filter((s: { current: boolean }) => s.current);
      expect(current).toHaveLength(1);
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      expect(other).toMatchObject({ ip: '127.0.0.1' });
      expect(JSON.stringify(list.body.items)).not.toMatch(/ghss_|secret/i);

      expect((await t.http.delete(`/account/sessions/${other.id}`, { cookie: a })).status).toBe(204);
      expect((await t.http.get('/devices', { cookie: b })).status).toBe(401);
      expect((await t.http.get('/devices', { cookie: a })).status).toBe(200);
    });

    it('cannot end someone else’s session (404)', async () => {
      const alice = await signedInUser(t);
      const bob = await signedInUser(t);
      const bobs = await t.http.get('/account/sessions', { cookie: bob.cookie });
      const res = await t.http.delete(`/account/sessions/${bobs.body.items[0].id}`, { cookie: alice.cookie });
      expect(res.status).toBe(404);
      expect((await t.http.get('/devices', { cookie: bob.cookie })).status).toBe(200);
    });

    it('ends all other sessions', async () => {
      const { email } = await createUser(t);
      const a = await signIn(t, email);
      const b = await signIn(t, email);
      const c = await signIn(t, email);
      const res = await t.http.delete('/account/sessions', { cookie: a });
      expect(res.body).toEqual({ revoked: 2 });
      expect((await t.http.get('/devices', { cookie: b })).status).toBe(401);
      expect((await t.http.get('/devices', { cookie: c })).status).toBe(401);
      expect((await t.http.get('/devices', { cookie: a })).status).toBe(200);
    });

    it('is not available to a Bearer token (cookie only)', async () => {
      const res = await t.http.get('/account/sessions', { bearer: 'ghpat_whatever' });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('This endpoint does not accept the Bearer scheme');
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the session and clears the cookie', async () => {
      const { cookie, user } = await signedInUser(t);
      const res = await t.http.post('/auth/logout', { cookie });
      expect(res.status).toBe(204);
      expect(res.setCookies.some((c) => c.startsWith(`${cookieName}=;`))).toBe(true);
      expect((await t.http.get('/devices', { cookie })).status).toBe(401);
      const rows = await auditRows('auth.logout');
      expect(rows.some((r) => r.actorId === user.id)).toBe(true);
    });
  });

  describe('timeouts', () => {
    it('ends a session after the idle timeout', async () => {
      const { cookie, user } = await signedInUser(t);
      const past = new Date(Date.now() - 2 * 3600_000);
      await rawQuery(t.dataSource, 'UPDATE sessions SET last_seen_at = ? WHERE user_id = ?', [toDb(t, past), user.id]);
      expect((await t.http.get('/devices', { cookie })).status).toBe(401);
    });

    it('ends a session after the absolute timeout', async () => {
      const { cookie, user } = await signedInUser(t);
      await rawQuery(t.dataSource, 'UPDATE sessions SET expires_at = ? WHERE user_id = ?', [toDb(t, new Date(Date.now() - 1000)), user.id]);
      expect((await t.http.get('/devices', { cookie })).status).toBe(401);
    });
  });

  describe('pages', () => {
    it('sends an unauthenticated browser to the sign-in page', async () => {
      const res = await t.http.get('/account');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login?next=%2Faccount');
    });

    it('serves the sign-in page with a CSP that forbids framing', async () => {
      const res = await t.http.get('/login');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.text).toContain('<form method="post" action="/auth/login">');
    });
  });
});

/** A Date as a raw SQL parameter in the driver's DATETIME format (UTC). */
function toDb(t: TestApp, d: Date): string | Date {
  return t.dataSource.options.type !== 'better-sqlite3' ? d : d.toISOString().replace('T', ' ').replace('Z', '');
}

void TEST_PASSWORD;
