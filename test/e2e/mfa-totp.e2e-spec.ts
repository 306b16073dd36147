import { TotpCredential } from '../../src/mfa/totp-credential.entity';
import { Session } from '../../src/sessions/session.entity';
import { startTestApp, TestApp } from './support/test-app';
import { auditByActor } from './support/admin.fixture';
import { awayFromStepEdge, beginTotp, csrfOf, enrolTotp, passwordStep, submitTotp, totpCode } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { signedInUser } from './support/users.fixture';

describe('MFA: TOTP enrolment and sign-in with a second factor (issue 25)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Wrong codes are counted (mfa-rate-limit.e2e-spec.ts tests the limit); here they must not run into it.
    t = await startTestApp({ TOTP_ISSUER: 'Gatehouse Test', MFA_MAX_FAILURES_PER_ACCOUNT: '1000', MFA_MAX_FAILURES_PER_IP: '10000' });
  });
  afterAll(() => t.close());

  it('enrolment shows a server-rendered QR code and an otpauth:// URI with issuer and account; the secret is sealed at rest', async () => {
    const u = await signedInUser(t);
    const { secret, page } = await beginTotp(t, u.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-testid="totp-qr"><svg [^>]*viewBox/);
    const uri = /data-testid="totp-uri">([^<]+)</
      .exec(page.text)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname)).toBe(`/Gatehouse Test:${u.email}`);
    expect(parsed.searchParams.get('issuer')).toBe('Gatehouse Test');
    expect(parsed.searchParams.get('secret')).toBe(secret);
    const row = await t.dataSource.getRepository(TotpCredential).findOneByOrFail({ userId: u.user.id });
    expect(row.confirmedAt).toBeNull();
    expect(row.secretSealed).not.toContain(secret);
    expect(row.secretSealed.split('.')).toHaveLength(5); // compact JWE
  });

  it('a wrong or malformed confirm code does not activate the secret; the sign-in stays one step', async () => {
    const u = await signedInUser(t);
    const { secret, page } = await beginTotp(t, u.cookie);
    const csrf = csrfOf(page.text);
    const good = await totpCode(secret);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    for (const code of [wrong, 'abcdef', '1234567', '9'.repeat(10 * 1024)]) {
      const res = await t.http.post('/account/mfa/totp/confirm', { cookie: u.cookie, form: { _csrf: csrf, code } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-testid="mfa-error"');
    }
    const json = await t.http.post('/account/mfa/totp/confirm', { cookie: u.cookie, json: { code: 'letters' } });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_code');
    const row = await t.dataSource.getRepository(TotpCredential).findOneByOrFail({ userId: u.user.id });
    expect(row.confirmedAt).toBeNull();
    const { res } = await passwordStep(t, u.email);
    expect(res.body.pendingStep).toBeUndefined();
  });

  it('after enrolment, sign-in is partial until a code; then amr is pwd, otp, mfa; the secret is never shown again', async () => {
    const u = await signedInUser(t);
    const { secret, recoveryCodes } = await enrolTotp(t, u.cookie);
    expect(recoveryCodes).toHaveLength(10);
    const after = await t.http.get('/account/mfa', { cookie: u.cookie, headers: HTML });
    expect(after.text).toContain('data-testid="totp-enrolled"');
    expect(after.text).not.toContain(secret);
    expect(after.text).not.toContain('data-testid="totp-qr"');

    const { cookie, res } = await passwordStep(t, u.email);
    expect(res.body).toMatchObject({ pendingStep: 'mfa', stepUrl: '/login/second-factor?next=%2Faccount' });
    expect((await t.http.get('/me', { cookie })).status).toBe(403);
    const page = await t.http.get('/account', { cookie, headers: HTML });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login/second-factor');
    const chooser = await t.http.get('/login/second-factor', { cookie, headers: HTML });
    expect(chooser.headers.get('location')).toBe('/login/second-factor/totp?next=%2Faccount');
    const step = await t.http.get('/login/second-factor/totp?next=%2Faccount', { cookie, headers: HTML });
    expect(step.status).toBe(200);
    expect(step.text).toContain('data-testid="second-step"');

    await awayFromStepEdge();
    const ok = await submitTotp(t, cookie, await totpCode(secret));
    expect(ok.status).toBe(200);
    expect(ok.body.amr).toEqual(['pwd', 'otp', 'mfa']);
    const me = await t.http.get('/me', { cookie });
    expect(me.status).toBe(200);
    const events = await auditByActor(t, u.user.id, 'auth.mfa');
    expect(events.map((e) => e.outcome)).toContain('success');
  });

  it('a code is single use: the same code, or an earlier one, is refused; ±1 step of drift is accepted', async () => {
    const u = await signedInUser(t);
    const { secret } = await enrolTotp(t, u.cookie); // used the previous step's code
    await awayFromStepEdge();
    const a = await passwordStep(t, u.email);
    const prev = await totpCode(secret, -1);
    expect((await submitTotp(t, a.cookie, prev)).status).toBe(401); // already used at enrolment
    const now = await totpCode(secret);
    expect((await submitTotp(t, a.cookie, now)).status).toBe(200);
    const b = await passwordStep(t, u.email);
    const replay = await submitTotp(t, b.cookie, now);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('wrong_code');
    expect((await submitTotp(t, b.cookie, await totpCode(secret, +1))).status).toBe(200); // one step ahead: drift
    const c = await passwordStep(t, u.email);
    expect((await submitTotp(t, c.cookie, await totpCode(secret, +2))).status).toBe(401); // two ahead: outside the window
  });

  it('bad input at the second step: letters, 7 digits, 10 KB are a 400 with a page message, never a 500', async () => {
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const { cookie } = await passwordStep(t, u.email);
    const page = await t.http.get('/login/second-factor/totp', { cookie, headers: HTML });
    const csrf = csrfOf(page.text);
    for (const code of ['abcdef', '1234567', '1'.repeat(10 * 1024)]) {
      const res = await t.http.post('/login/second-factor/totp', { cookie, form: { _csrf: csrf, code, next: '/account' } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-testid="second-step-error"');
      const json = await submitTotp(t, cookie, code);
      expect(json.status).toBe(400);
    }
    const noCsrf = await t.http.post('/login/second-factor/totp', { cookie, form: { code: '123456' } });
    expect(noCsrf.status).toBe(403);
    const noSession = await t.http.post('/login/second-factor/totp', { json: { code: '123456' }, origin: t.baseUrl });
    expect(noSession.status).toBe(401);
  });

  it('the partial state expires: past MFA_STEP_MINUTES the cookie no longer signs in', async () => {
    const u = await signedInUser(t);
    const { secret } = await enrolTotp(t, u.cookie);
    const { cookie, res } = await passwordStep(t, u.email);
    await t.dataSource.getRepository(Session).update({ id: res.body.sessionId }, { pendingUntil: new Date(Date.now() - 1000) });
    await new Promise((r) => setTimeout(r, 1100)); // the credential cache keeps a positive result for 1 s
    const late = await submitTotp(t, cookie, await totpCode(secret));
    expect(late.status).toBe(401);
    expect((await t.http.get('/me', { cookie })).status).toBe(401);
  });

  it('sign-out works from the partial session', async () => {
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const { cookie } = await passwordStep(t, u.email);
    const out = await t.http.post('/auth/logout', { cookie, json: {} });
    expect(out.status).toBe(204);
    expect((await t.http.get('/login/second-factor/totp', { cookie, headers: HTML })).headers.get('location')).toMatch(/^\/login/);
  });
});
