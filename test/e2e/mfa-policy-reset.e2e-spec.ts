import { TotpCredential } from '../../src/mfa/totp-credential.entity';
import { auditForTarget, signedInAdmin } from './support/admin.fixture';
import { awayFromStepEdge, beginTotp, csrfOf, enrolTotp, passwordStep, submitTotp, totpCode } from './support/mfa.fixture';
import { obtainTokens, refresh, registerClient } from './support/oauth-flow.fixture';
import { followRedirect, HTML } from './support/pages.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

describe('MFA: MFA_REQUIRED=all sends a user without a factor to enrolment; tokens are unaffected (issue 25)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ MFA_REQUIRED: 'all' });
  });
  afterAll(() => t.close());

  it('after the password the session reaches only enrolment; enrolling completes the sign-in; the last factor cannot be removed', async () => {
    const u = await createUser(t);
    const { cookie, res } = await passwordStep(t, u.email);
    expect(res.body.pendingStep).toBe('mfa-enrol');
    expect(res.body.stepUrl).toBe('/account/mfa?next=%2Faccount');
    expect((await t.http.get('/me', { cookie })).status).toBe(403);
    expect((await t.http.post('/account/tokens', { cookie, json: { name: 'x', scopes: ['read:device'] } })).body.error).toBe(
      'sign_in_incomplete',
    );
    const account = await t.http.get('/account', { cookie, headers: HTML });
    expect(account.headers.get('location')).toBe('/account/mfa');
    const page = await t.http.get('/account/mfa', { cookie, headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="mfa-required"');
    expect(page.text).not.toContain('data-testid="site-nav"><ul>\n    <li><a'); // no navigation links while held

    const { secret, page: qr } = await beginTotp(t, cookie);
    await awayFromStepEdge();
    const done = await t.http.post('/account/mfa/totp/confirm', {
      cookie,
      form: { _csrf: csrfOf(qr.text), code: await totpCode(secret, -1) },
    });
    expect(done.status).toBe(303);
    const me = await t.http.get('/me', { cookie });
    expect(me.status).toBe(200);

    const mfaPage = await t.http.get('/account/mfa', { cookie, headers: HTML });
    const removed = await t.http.post('/account/mfa/totp/remove', { cookie, form: { _csrf: csrfOf(mfaPage.text) } });
    expect(removed.status).toBe(409);
    expect(removed.text).toContain('requires a second factor');
    expect(await t.dataSource.getRepository(TotpCredential).countBy({ userId: u.user.id })).toBe(1);

    // The next sign-in asks for the factor, as for anyone who has one.
    const next = await passwordStep(t, u.email);
    expect(next.res.body.pendingStep).toBe('mfa');
    expect((await submitTotp(t, next.cookie, await totpCode(secret))).status).toBe(200);
  });

  it('PATs, OAuth access and refresh tokens and client secrets keep working under the policy and with a factor', async () => {
    const u = await createUser(t);
    const held = await passwordStep(t, u.email);
    const { secret, page } = await beginTotp(t, held.cookie);
    await awayFromStepEdge();
    await t.http.post('/account/mfa/totp/confirm', {
      cookie: held.cookie,
      form: { _csrf: csrfOf(page.text), code: await totpCode(secret, -1) },
    });
    const cookie = held.cookie;
    const pat = await createPat(t, cookie);
    const client = await registerClient(t, u.user, { type: 'confidential' });
    const tokens = await obtainTokens(t, cookie, client);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    expect((await t.http.get('/devices', { bearer: tokens.access_token })).status).toBe(200);
    expect((await refresh(t, client, tokens.refresh_token)).status).toBe(200);
    const cc = await t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret!, scope: 'read:device' },
    });
    expect(cc.status).toBe(200);
    expect((await t.http.get('/devices', { bearer: cc.body.access_token })).status).toBe(200);
  });
});

describe('MFA: admin reset of a user’s factors (issue 25)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the admin list and page show the factors; reset removes them, ends sessions and what is in flight, is audited; the PAT stays', async () => {
    const admin = await signedInAdmin(t);
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const pat = await createPat(t, u.cookie);
    const client = await registerClient(t, admin.user, { type: 'confidential' });
    const tokens = await obtainTokens(t, u.cookie, client);

    const list = await t.http.get(`/admin/ui/users?q=${encodeURIComponent(u.email)}`, { cookie: admin.cookie, headers: HTML });
    expect(list.text).toMatch(/data-testid="user-factors">Authenticator app, Recovery code ×10</);
    const page = await t.http.get(`/admin/ui/users/${u.user.id}`, { cookie: admin.cookie, headers: HTML });
    expect(page.text).toContain('10 recovery codes left');
    const posted = await t.http.post(`/admin/ui/users/${u.user.id}/mfa-reset`, {
      cookie: admin.cookie,
      form: { _csrf: csrfOf(page.text) },
    });
    const after = await followRedirect(t, posted, admin.cookie);
    expect(after.text).toContain('Second factors removed');
    expect(after.text).toMatch(/data-testid="user-factors">none</);

    expect((await t.http.get('/me', { cookie: u.cookie })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: tokens.access_token })).status).toBe(401); // in flight: the epoch
    expect((await refresh(t, client, tokens.refresh_token)).status).toBe(400);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200); // PATs stay
    const [row] = await auditForTarget(t, u.user.id, 'admin.user.mfa_reset');
    expect(row).toMatchObject({ outcome: 'success', actorId: admin.user.id });
    expect((await passwordStep(t, u.email)).res.body.pendingStep).toBeUndefined();
  });

  it('the admin API resets too (200 with counts); 404 for an unknown user; non-admins get 403', async () => {
    const admin = await signedInAdmin(t);
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const res = await t.http.post(`/admin/users/${u.user.id}/mfa/reset`, { cookie: admin.cookie, json: {} });
    expect(res.status).toBe(200);
    expect(res.body.removed).toMatchObject({ totp: 1, 'recovery-code': 10 });
    expect(res.body.sessionsEnded).toBe(1);
    expect(
      (await t.http.post('/admin/users/00000000-0000-4000-8000-000000000000/mfa/reset', { cookie: admin.cookie, json: {} })).status,
    ).toBe(404);
    const other = await signedInUser(t);
    expect((await t.http.post(`/admin/users/${u.user.id}/mfa/reset`, { cookie: other.cookie, json: {} })).status).toBe(403);
  });
});
