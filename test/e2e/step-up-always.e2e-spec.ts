import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { awayFromStepEdge, csrfOf, totpCode } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { carryOf, signInWithId } from './support/step-up.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TEST_PASSWORD } from './support/users.fixture';

const NEW_KEY = { name: 'k', scopes: ['read:device'] };

describe('step-up with SUDO_MODE_SECONDS=0: every sensitive action re-authenticates, and each re-authentication is worth exactly one', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SUDO_MODE_SECONDS: '0', MFA_REQUIRED: 'admins' });
  });
  afterAll(() => t.close());

  it('JSON: refused right after sign-in; POST /step-up naming the action lets it pass once, and only that action', async () => {
    const u = await createUser(t);
    const { cookie } = await signInWithId(t, u.email);
    const create = () => t.http.post('/account/tokens', { cookie, json: NEW_KEY });
    const first = await create();
    expect([first.status, first.body.error, first.body.action]).toEqual([403, 'step_up_required', 'POST /account/tokens']);
    const up = await t.http.post('/step-up', {
      cookie,
      json: { method: 'password', password: TEST_PASSWORD, action: 'POST /account/tokens' },
    });
    expect([up.status, up.body.validForSeconds]).toEqual([200, 0]);
    expect(
      (await t.http.post('/account/password', { cookie, json: { currentPassword: TEST_PASSWORD, newPassword: 'x'.repeat(20) } })).status,
    ).toBe(403);
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(403);
  });

  it('two requests racing for one grant: exactly one passes', async () => {
    const u = await createUser(t);
    const { cookie } = await signInWithId(t, u.email);
    await t.http.post('/step-up', { cookie, json: { method: 'password', password: TEST_PASSWORD, action: 'POST /account/tokens' } });
    const both = await Promise.all([0, 1, 2].map(() => t.http.post('/account/tokens', { cookie, json: NEW_KEY })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 403, 403]);
  });

  it('a page: the re-authentication rides in the action’s own request, so it passes once and never loops', async () => {
    const u = await createUser(t);
    const { cookie } = await signInWithId(t, u.email);
    const csrf = csrfOf((await t.http.get('/account/tokens', { cookie, headers: HTML })).text);
    const refused = await t.http.post('/account/tokens/new', { cookie, form: { _csrf: csrf, name: 'once', scopes: 'read:device' } });
    expect(refused.status).toBe(403);
    const done = await t.http.post('/account/tokens/new', {
      cookie,
      form: { _csrf: csrf, _stepup: carryOf(refused.text), _stepup_method: 'password', _stepup_password: TEST_PASSWORD },
    });
    expect(done.status).toBe(303);
    expect(await t.dataSource.getRepository(PersonalToken).countBy({ userId: u.user.id })).toBe(1);
    const again = await t.http.post('/account/tokens/new', { cookie, form: { _csrf: csrf, name: 'twice', scopes: 'read:device' } });
    expect(again.status).toBe(403);
    expect(again.text).toContain('data-testid="step-up"');
  });

  it('a session held at enrolment by MFA_REQUIRED enrols its first factor without a further re-authentication (it has just passed the password)', async () => {
    const admin = await createUser(t, { roles: ['admin'] });
    const { cookie } = await signInWithId(t, admin.email);
    const page = await t.http.get('/account/mfa', { cookie, headers: HTML });
    expect(page.status).toBe(200);
    const begun = await t.http.post('/account/mfa/totp', { cookie, form: { _csrf: csrfOf(page.text) } });
    expect(begun.status).toBe(303);
    const shown = await t.http.get('/account/mfa', { cookie, headers: HTML });
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(shown.text)![1];
    await awayFromStepEdge();
    const confirmed = await t.http.post('/account/mfa/totp/confirm', {
      cookie,
      form: { _csrf: csrfOf(shown.text), code: await totpCode(secret) },
    });
    expect(confirmed.status).toBe(303);
    // Released: a full session now, which meets step-up like any other.
    const after = await t.http.post('/account/tokens', { cookie, json: NEW_KEY });
    expect([after.status, after.body.error]).toEqual([403, 'step_up_required']);
  });
});
