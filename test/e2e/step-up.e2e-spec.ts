import { randomUUID } from 'node:crypto';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { auditByActor, detailsOf } from './support/admin.fixture';
import { csrfOf, enrolTotp, passwordStep, submitTotp, totpCode, awayFromStepEdge } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { controllersOf, describeRoute, routesOf } from './support/route-table';
import { ageAuthentication, authTimeOf, carryOf, signInWithId } from './support/step-up.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TEST_PASSWORD } from './support/users.fixture';

/** A route pattern with every parameter filled (the step-up check runs before any parameter is read). */
const fill = (path: string) => path.replace(/:[A-Za-z]+/g, randomUUID());

describe('step-up ("sudo mode", issue 25): sensitive actions need a recent authentication', () => {
  let t: TestApp;
  let stepUpRoutes: { method: string; path: string; line: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    stepUpRoutes = routesOf(controllersOf(t.app))
      .filter((r) => r.stepUp)
      .map((r) => ({ method: r.method, path: r.path, line: describeRoute(r) }));
  });
  afterAll(() => t.close());

  async function staleAdmin() {
    const u = await createUser(t, { roles: ['admin'] });
    const s = await signInWithId(t, u.email);
    await ageAuthentication(t, s.sessionId);
    return { ...u, ...s };
  }

  it('the declaration covers the routes the issue names (PATs, client secrets, password, factors, impersonation, admin on users)', () => {
    const lines = stepUpRoutes.map((r) => `${r.method} ${r.path}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'POST /account/tokens',
        'POST /account/tokens/new',
        'POST /developer/clients/:clientId/secret',
        'POST /account/clients/:clientId/rotate',
        'POST /admin/clients/:clientId/secret',
        'POST /admin/ui/clients/:id/rotate-secret',
        'POST /account/password',
        'POST /account/mfa/totp',
        'POST /account/mfa/totp/confirm',
        'POST /account/mfa/totp/remove',
        'POST /account/mfa/recovery-codes',
        'POST /account/passkeys',
        'POST /account/passkeys/:id/delete',
        'POST /admin/impersonations',
        'POST /admin/ui/impersonation',
        'POST /admin/users/:id/disable',
        'PUT /admin/users/:id/roles',
        'DELETE /admin/users/:id',
        'POST /admin/users/:id/mfa/reset',
        'POST /admin/ui/users/:id/roles',
        'POST /admin/ui/users/:id/mfa-reset',
      ]),
    );
    expect(stepUpRoutes.every((r) => r.method !== 'GET')).toBe(true);
  });

  it('every route with the declaration refuses a stale session: JSON gets 403 step_up_required naming the action', async () => {
    const a = await staleAdmin();
    const answers: string[] = [];
    for (const r of stepUpRoutes) {
      const res = await t.http.request(r.method, fill(r.path), { cookie: a.cookie, json: {} });
      const body = res.body as { error?: string; action?: string; stepUpUrl?: string };
      answers.push(`${r.method} ${r.path} ${res.status} ${body.error} ${body.action === `${r.method} ${r.path}`} ${body.stepUpUrl}`);
    }
    expect(answers).toEqual(stepUpRoutes.map((r) => `${r.method} ${r.path} 403 step_up_required true /step-up`));
  });

  it('every route with the declaration answers a stale form post with the re-authentication page (403), the form carried sealed', async () => {
    const a = await staleAdmin();
    const csrf = csrfOf((await t.http.get('/account', { cookie: a.cookie, headers: HTML })).text);
    const answers: string[] = [];
    for (const r of stepUpRoutes) {
      const res = await t.http.request(r.method, fill(r.path), { cookie: a.cookie, form: { _csrf: csrf, name: 'secret-ish value' } });
      const page = res.text.includes('data-testid="step-up"') && /name="_stepup" value="ey/.test(res.text);
      answers.push(`${r.method} ${r.path} ${res.status} ${page} ${res.text.includes('secret-ish value')}`);
    }
    expect(answers).toEqual(stepUpRoutes.map((r) => `${r.method} ${r.path} 403 true false`));
  });

  it('a fresh session passes (within SUDO_MODE_SECONDS of signing in)', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    const res = await t.http.post('/account/tokens', { cookie: s.cookie, json: { name: 'fresh', scopes: ['read:device'] } });
    expect(res.status).toBe(201);
  });

  it('Bearer requests are not subject to it (RFC 6750 §2.1: a PAT with the admin scope acts on users with a stale session around)', async () => {
    const a = await createUser(t, { roles: ['admin'] });
    const s = await signInWithId(t, a.email);
    const pat = await t.http.post<{ token: string }>('/account/tokens', { cookie: s.cookie, json: { name: 'ops', scopes: ['admin'] } });
    expect(pat.status).toBe(201);
    await ageAuthentication(t, s.sessionId);
    const victim = await createUser(t);
    const res = await t.http.post(`/admin/users/${victim.user.id}/disable`, { bearer: pat.body.token, json: {} });
    expect(res.status).toBe(200);
    expect((await t.http.post('/admin/users', { cookie: s.cookie, json: { email: 'x@example.test' } })).status).toBe(403);
  });

  it('JSON: POST /step-up with the password moves auth_time forward (OIDC Core §2), appends to amr, is audited; then the action passes', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    await ageAuthentication(t, s.sessionId);
    const before = await authTimeOf(t, s.sessionId);
    expect((await t.http.post('/account/tokens', { cookie: s.cookie, json: { name: 'k', scopes: ['read:device'] } })).status).toBe(403);
    const up = await t.http.post('/step-up', { cookie: s.cookie, json: { method: 'password', password: TEST_PASSWORD } });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ authTime: expect.any(String), amr: ['pwd'], validForSeconds: 300 });
    const after = await authTimeOf(t, s.sessionId);
    expect(after.authTime.getTime()).toBeGreaterThan(before.authTime.getTime() + 3000_000);
    expect((await t.http.post('/account/tokens', { cookie: s.cookie, json: { name: 'k', scopes: ['read:device'] } })).status).toBe(201);
    const audit = await auditByActor(t, u.user.id, 'auth.step_up');
    expect(audit.map((e) => `${e.outcome} ${detailsOf(e).method}`)).toEqual(['success password']);
  });

  it('a page: the refused form comes back intact after the password, posted to the action itself (the PAT has the name and scopes typed)', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    await ageAuthentication(t, s.sessionId);
    const csrf = csrfOf((await t.http.get('/account/tokens', { cookie: s.cookie, headers: HTML })).text);
    const refused = await t.http.post('/account/tokens/new', {
      cookie: s.cookie,
      form: { _csrf: csrf, name: 'deploy key', scopes: ['read:device', 'write:device'] },
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('action="/account/tokens/new"');
    expect(refused.text).not.toContain('deploy key');
    const wrong = await t.http.post('/account/tokens/new', {
      cookie: s.cookie,
      form: { _csrf: csrf, _stepup: carryOf(refused.text), _stepup_method: 'password', _stepup_password: 'not it' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('That password is not right.');
    expect(await t.dataSource.getRepository(PersonalToken).countBy({ userId: u.user.id })).toBe(0);
    const done = await t.http.post('/account/tokens/new', {
      cookie: s.cookie,
      form: { _csrf: csrf, _stepup: carryOf(wrong.text), _stepup_method: 'password', _stepup_password: TEST_PASSWORD },
    });
    expect(done.status).toBe(303);
    const rows = await t.dataSource.getRepository(PersonalToken).findBy({ userId: u.user.id });
    expect(rows.map((r) => [r.name, r.scopes])).toEqual([['deploy key', expect.arrayContaining(['read:device', 'write:device'])]]);
    const audit = await auditByActor(t, u.user.id, 'auth.step_up');
    expect(audit.map((e) => e.outcome)).toEqual(['failed', 'success']);
  });

  it('a carried form is bound to its session and action: tampered, replayed elsewhere or by another session, it is a 400 page', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    await ageAuthentication(t, s.sessionId);
    const csrf = csrfOf((await t.http.get('/account', { cookie: s.cookie, headers: HTML })).text);
    const refused = await t.http.post('/account/tokens/new', { cookie: s.cookie, form: { _csrf: csrf, name: 'n', scopes: 'read:device' } });
    const carry = carryOf(refused.text);
    const send = (path: string, value: string, cookie = s.cookie, token = csrf) =>
      t.http.post(path, { cookie, form: { _csrf: token, _stepup: value, _stepup_method: 'password', _stepup_password: TEST_PASSWORD } });
    const tampered = await send('/account/tokens/new', `${carry.slice(0, -4)}AAAA`);
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain('expired or was altered');
    expect((await send('/account/password', carry)).status).toBe(400);
    const other = await signInWithId(t, u.email);
    const otherCsrf = csrfOf((await t.http.get('/account', { cookie: other.cookie, headers: HTML })).text);
    await ageAuthentication(t, other.sessionId);
    expect((await send('/account/tokens/new', carry, other.cookie, otherCsrf)).status).toBe(400);
    expect((await send('/account/tokens/new', 'x'.repeat(100_000))).status).toBe(400);
    expect(await t.dataSource.getRepository(PersonalToken).countBy({ userId: u.user.id })).toBe(0);
  });

  it('bad input on POST /step-up: a 10 KB password, no method, an unknown method, a malformed action, an outside return path', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    const post = (json: Record<string, unknown>) => t.http.post('/step-up', { cookie: s.cookie, json });
    const long = await post({ method: 'password', password: 'p'.repeat(10_240) });
    expect([long.status, (long.body as { error: string }).error]).toEqual([400, 'invalid_request']);
    expect((await post({ password: TEST_PASSWORD })).status).toBe(400);
    expect((await post({ method: 'sms', password: TEST_PASSWORD })).status).toBe(400);
    expect((await post({ method: 'totp', code: '123456' })).status).toBe(400); // no authenticator app
    expect((await post({ method: 'password', password: TEST_PASSWORD, action: 'GET http://evil.example/' })).status).toBe(400);
    expect((await post({ method: 'password', password: ['x'] })).status).toBe(400);
    const csrf = csrfOf((await t.http.get('/step-up?return=/account/tokens', { cookie: s.cookie, headers: HTML })).text);
    for (const evil of ['//evil.example/', 'https://evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const res = await t.http.post('/step-up', {
        cookie: s.cookie,
        form: { _csrf: csrf, return: evil, _stepup_method: 'password', _stepup_password: TEST_PASSWORD },
      });
      expect([evil, res.status, res.headers.get('location')]).toEqual([evil, 303, '/account']);
    }
    const back = await t.http.post('/step-up', {
      cookie: s.cookie,
      form: { _csrf: csrf, return: '/account/tokens', _stepup_method: 'password', _stepup_password: TEST_PASSWORD },
    });
    expect(back.headers.get('location')).toBe('/account/tokens');
    expect(
      (await t.http.post('/step-up', { json: { method: 'password', password: TEST_PASSWORD }, headers: { accept: 'application/json' } }))
        .status,
    ).toBe(401);
  });

  it('wrong attempts are limited per account like the second step (429 + Retry-After), audited, without locking another user', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await t.http.post('/step-up', { cookie: s.cookie, json: { method: 'password', password: `wrong ${i}` } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await t.http.post('/step-up', { cookie: s.cookie, json: { method: 'password', password: TEST_PASSWORD } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const outcomes = (await t.dataSource.getRepository(AuditEvent).findBy({ actorId: u.user.id, action: 'auth.step_up' })).map(
      (e) => e.outcome,
    );
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(5);
    expect(outcomes).toContain('denied');
    const other = await createUser(t);
    const o = await signInWithId(t, other.email);
    expect((await t.http.post('/step-up', { cookie: o.cookie, json: { method: 'password', password: TEST_PASSWORD } })).status).toBe(200);
  });

  it('with an authenticator app: a partial session passes nothing; the full one re-authenticates with a code (amr gains otp), letters are a 400', async () => {
    const u = await createUser(t);
    const first = await signInWithId(t, u.email);
    const { secret } = await enrolTotp(t, first.cookie);
    const { cookie } = await passwordStep(t, u.email);
    // Partial (the second factor pending): refused before step-up, and POST /step-up is no way around the second step.
    const partial = await t.http.post('/account/tokens', { cookie, json: { name: 'k', scopes: ['read:device'] } });
    expect([partial.status, (partial.body as { error: string }).error]).toEqual([403, 'sign_in_incomplete']);
    const sneaky = await t.http.post('/step-up', { cookie, json: { method: 'password', password: TEST_PASSWORD } });
    expect([sneaky.status, (sneaky.body as { error: string }).error]).toEqual([403, 'sign_in_incomplete']);
    await awayFromStepEdge();
    expect((await submitTotp(t, cookie, await totpCode(secret))).status).toBe(200);
    const session = (await t.http.get<{ credential?: unknown }>('/me', { cookie })).status;
    expect(session).toBe(200);
    const sessions = await t.dataSource.query(
      `SELECT id FROM sessions WHERE user_id = '${u.user.id}' AND pending_step IS NULL AND revoked_at IS NULL`,
    );
    const ids = (sessions as { id: string }[]).map((r) => r.id);
    for (const id of ids) await ageAuthentication(t, id);
    expect((await t.http.post('/step-up', { cookie, json: { method: 'totp', code: 'abcdef' } })).status).toBe(400);
    const up = await t.http.post('/step-up', { cookie, json: { method: 'totp', code: await totpCode(secret, 1) } });
    expect(up.status).toBe(200);
    expect((up.body as { amr: string[] }).amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
    // Single use: the same code does not confirm twice.
    expect((await t.http.post('/step-up', { cookie, json: { method: 'totp', code: await totpCode(secret, 1) } })).status).toBe(401);
  });

  it('an account without a password (single sign-on) is told how to confirm; a password is not accepted for it', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    await t.dataSource.query(`UPDATE users SET password_hash = '!sso' WHERE id = '${u.user.id}'`);
    const page = await t.http.get('/step-up', { cookie: s.cookie, headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="step-up-none"');
    expect((await t.http.post('/step-up', { cookie: s.cookie, json: { method: 'password', password: TEST_PASSWORD } })).status).toBe(400);
  });
});
