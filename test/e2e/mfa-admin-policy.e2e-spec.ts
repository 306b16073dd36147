import { MfaPolicy } from '../../src/mfa-policy/mfa-policy';
import { MfaSetting } from '../../src/mfa-policy/mfa-setting.entity';
import { auditByActor, detailsOf, signedInAdmin, startIsolatedTestApp } from './support/admin.fixture';
import { createBot, createBotToken } from './support/bots.fixture';
import { csrfOf, enrolTotp, passwordStep } from './support/mfa.fixture';
import { followRedirect, HTML } from './support/pages.fixture';
import { TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

/**
 * Issue 25, operator policy at runtime: an admin sets who must have a second factor from the
 * admin API (`/admin/mfa/policy`) or page (`/admin/ui/mfa`); the stored value wins over
 * `MFA_REQUIRED` and applies from the next sign-in. The policy is global state, so each app has a
 * database of its own (startIsolatedTestApp) on MariaDB.
 */
describe('MFA policy set by an admin (API and page)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startIsolatedTestApp({ MFA_REQUIRED: 'none' });
  });
  afterAll(() => t.close());
  // Each test starts from `none` (stored), whatever the last one left.
  afterEach(() => t.get<MfaPolicy>(MfaPolicy).set('none', null));

  const setPolicy = (cookie: string, required: unknown) => t.http.put('/admin/mfa/policy', { cookie, json: { required } });

  it('GET shows the environment value; anything but none|admins|all is a 400; non-admins get 403; a change is audited with old and new values', async () => {
    const admin = await signedInAdmin(t);
    const first = await t.http.get('/admin/mfa/policy', { cookie: admin.cookie });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ required: 'none', source: 'environment', environment: 'none', updatedAt: null });

    for (const bad of ['ALL', 'everyone', '', 1, null, ['all'], { all: true }]) {
      const res = await setPolicy(admin.cookie, bad);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'required', problems: ['required must be one of none, admins, all'] }]);
    }
    expect((await t.http.put('/admin/mfa/policy', { cookie: admin.cookie, json: {} })).status).toBe(400);
    const user = await signedInUser(t);
    expect((await setPolicy(user.cookie, 'all')).status).toBe(403);
    expect(await t.dataSource.getRepository(MfaSetting).count()).toBe(0);

    const set = await setPolicy(admin.cookie, 'admins');
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ required: 'admins', source: 'admin', environment: 'none', updatedBy: admin.user.id });
    const rows = await auditByActor(t, admin.user.id, 'admin.mfa_policy.updated');
    expect(rows.filter((r) => r.outcome === 'failed')).toHaveLength(8); // the 400s
    const row = rows.find((r) => r.outcome === 'success')!;
    expect(detailsOf(row)).toMatchObject({ before: 'none', after: 'admins', beforeSource: 'environment' });
    const refused = (await auditByActor(t, user.user.id, 'admin.mfa_policy.updated'))[0];
    expect(refused?.outcome).toBe('denied');

    await setPolicy(admin.cookie, 'none');
  });

  it('admins: the next sign-in of an admin without a factor is held at enrolment; a user is not; an admin already signed in keeps the session', async () => {
    const admin = await signedInAdmin(t);
    const otherAdmin = await createUser(t, { roles: ['admin'] });
    const user = await createUser(t);
    expect((await setPolicy(admin.cookie, 'admins')).status).toBe(200);

    expect((await t.http.get('/me', { cookie: admin.cookie })).status).toBe(200); // signed in before: not held
    expect((await passwordStep(t, otherAdmin.email)).res.body.pendingStep).toBe('mfa-enrol');
    expect((await passwordStep(t, admin.email)).res.body.pendingStep).toBe('mfa-enrol');
    const plain = await passwordStep(t, user.email);
    expect(plain.res.body.pendingStep).toBeUndefined();
    expect((await t.http.get('/me', { cookie: plain.cookie })).status).toBe(200);

    await setPolicy(admin.cookie, 'none');
  });

  it('all: a user without a factor is held (403 sign_in_incomplete, pages sent to enrolment); one with a factor gets the second step; bots are unaffected; none releases the next sign-in', async () => {
    const admin = await signedInAdmin(t);
    const manager = await signedInUser(t);
    const bot = await createBot(t, manager.cookie);
    const botToken = await createBotToken(t, manager.cookie, bot.id);
    const withFactor = await signedInUser(t);
    await enrolTotp(t, withFactor.cookie);
    const user = await createUser(t);
    expect((await setPolicy(admin.cookie, 'all')).status).toBe(200);

    const held = await passwordStep(t, user.email);
    expect(held.res.body).toMatchObject({ pendingStep: 'mfa-enrol', stepUrl: '/account/mfa?next=%2Faccount' });
    expect((await t.http.get('/me', { cookie: held.cookie })).body.error).toBe('sign_in_incomplete');
    expect((await t.http.get('/account/tokens', { cookie: held.cookie, headers: HTML })).headers.get('location')).toBe('/account/mfa');
    const page = await t.http.get('/account/mfa', { cookie: held.cookie, headers: HTML });
    expect(page.text).toContain('data-testid="mfa-required"');
    expect((await passwordStep(t, withFactor.email)).res.body.pendingStep).toBe('mfa');
    // A bot never signs in interactively; its token works as before.
    expect((await t.http.post('/devices', { bearer: botToken.token, json: { name: 'bot device' } })).status).toBe(201);

    expect((await setPolicy(admin.cookie, 'none')).status).toBe(200);
    expect((await passwordStep(t, user.email)).res.body.pendingStep).toBeUndefined();
  });

  it('the admin page shows the value and its source, saves it with the CSRF token (303, audited), refuses a bad value (400) and a post without the token (403)', async () => {
    const admin = await signedInAdmin(t);
    const page = await t.http.get('/admin/ui/mfa', { cookie: admin.cookie, headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-testid="mfa-policy-current">Nobody</);
    expect(page.text).toMatch(/data-testid="mfa-policy-source">an admin/); // set by the earlier tests
    // The administration menu names this page, and marks it (not the dashboard) as the current one.
    const adminNav = /<nav class="admin-nav"[\s\S]*?<\/nav>/.exec(page.text)?.[0] ?? '';
    expect(adminNav).toMatch(/<a href="\/admin\/ui\/mfa" aria-current="page">Two-factor policy<\/a>/);
    expect(adminNav.match(/aria-current/g)).toHaveLength(1);

    const saved = await t.http.post('/admin/ui/mfa', { cookie: admin.cookie, form: { _csrf: csrfOf(page.text), required: 'all' } });
    expect(saved.status).toBe(303);
    const after = await followRedirect(t, saved, admin.cookie);
    expect(after.text).toContain('Policy saved');
    expect(after.text).toMatch(/data-testid="mfa-policy-current">Everyone</);
    expect(after.text).toContain(admin.email);
    const rows = await auditByActor(t, admin.user.id, 'admin.mfa_policy.updated');
    expect(detailsOf(rows[rows.length - 1])).toMatchObject({ before: 'none', after: 'all' });
    const list = await t.http.get('/admin/ui/users', { cookie: admin.cookie, headers: HTML });
    expect(list.text).toMatch(/data-testid="mfa-policy-summary">Second factor required for: <strong>everyone</);

    const bad = await t.http.post('/admin/ui/mfa', { cookie: admin.cookie, form: { _csrf: csrfOf(page.text), required: 'most' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('required must be one of none, admins, all');
    const noToken = await t.http.post('/admin/ui/mfa', { cookie: admin.cookie, form: { required: 'none' } });
    expect(noToken.status).toBe(403);
    expect((await t.http.get('/admin/mfa/policy', { cookie: admin.cookie })).body.required).toBe('all');
    expect((await t.http.put('/admin/mfa/policy', { cookie: admin.cookie, json: { required: 'none' } })).status).toBe(200);
  });

  it('the users list and the admin API show each user’s factors, with kinds and counts', async () => {
    const admin = await signedInAdmin(t);
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const one = await t.http.get(`/admin/users/${u.user.id}`, { cookie: admin.cookie });
    expect(one.body.factors).toEqual([
      { kind: 'totp', label: 'Authenticator app', count: 1 },
      { kind: 'recovery-code', label: 'Recovery code', count: 10 },
    ]);
    const list = await t.http.get(`/admin/users?q=${encodeURIComponent(u.email)}`, { cookie: admin.cookie });
    expect(list.body.items[0].factors).toEqual(one.body.factors);
    const page = await t.http.get(`/admin/ui/users?q=${encodeURIComponent(u.email)}`, { cookie: admin.cookie, headers: HTML });
    expect(page.text).toMatch(/data-testid="user-factors">Authenticator app, Recovery code ×10</);
  });
});

describe('MFA policy: a stored value wins over MFA_REQUIRED', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startIsolatedTestApp({ MFA_REQUIRED: 'all' });
  });
  afterAll(() => t.close());

  it('MFA_REQUIRED=all until an admin stores none; then nobody is held', async () => {
    const admin = await createUser(t, { roles: ['admin'] });
    const held = await passwordStep(t, admin.email);
    expect(held.res.body.pendingStep).toBe('mfa-enrol');
    // The held admin enrols, then relaxes the policy for everyone.
    await enrolTotp(t, held.cookie);
    const res = await t.http.put('/admin/mfa/policy', { cookie: held.cookie, json: { required: 'none' } });
    expect(res.body).toMatchObject({ required: 'none', source: 'admin', environment: 'all' });
    const user = await createUser(t);
    expect((await passwordStep(t, user.email)).res.body.pendingStep).toBeUndefined();
  });
});
