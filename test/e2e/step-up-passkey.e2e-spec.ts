import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { PasskeyChallenge } from '../../src/passkeys/passkey-challenge.entity';
import { Passkey } from '../../src/passkeys/passkey.entity';
import { PasskeySignInController } from '../../src/passkeys/passkey-sign-in.controller';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { SessionCookieService } from '../../src/sessions/session-cookie.service';
import { auditByActor, auditForTarget, detailsOf } from './support/admin.fixture';
import { cookiePair } from './support/http-client';
import { csrfOf } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { PASSKEY_RP_ID, SoftAuthenticator, startPasskeyTestApp } from './support/passkeys.fixture';
import { ageAuthentication, authTimeOf, carryOf, signInWithId } from './support/step-up.fixture';
import type { TestApp } from './support/test-app';
import { createUser, signedInUser, TEST_PASSWORD } from './support/users.fixture';

/**
 * Step-up with a passkey (issue 25; WebAuthn Level 3 §7.2): a stale session re-authenticates with
 * one of its user's own passkeys, on the page (the refused form replayed) or over JSON, against a
 * challenge bound to step-up and to this session. Every refusal is a 4xx with a message, the
 * session stays stale, and the attempts count against the second step's limit with the others.
 */
describe('step-up with a passkey', () => {
  let t: TestApp;
  let origin: string;
  const RP_ID = PASSKEY_RP_ID;

  beforeAll(async () => {
    // Every request comes from 127.0.0.1: the per-IP allowance is raised so that only the per-account one (5) is in play.
    ({ t, origin } = await startPasskeyTestApp({ MFA_MAX_FAILURES_PER_IP: '1000' }));
  });
  afterAll(() => t?.close());

  /** A person signed in with the password, with one passkey on `auth` (registered while fresh), the session then made stale. */
  async function stalePasskeyUser(auth = new SoftAuthenticator(RP_ID, origin)) {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    const options = await t.http.post('/account/passkeys/options', { cookie: s.cookie, json: {} });
    const added = await t.http.post('/account/passkeys', {
      cookie: s.cookie,
      json: { name: 'Laptop', response: JSON.stringify(auth.createCredential(options.body)) },
    });
    expect(added.status).toBe(201);
    await ageAuthentication(t, s.sessionId);
    return { ...u, ...s, auth, passkeyId: added.body.id as string };
  }

  async function stepUpOptions(cookie: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const res = await t.http.post('/step-up/passkey/options', { cookie, json: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.body;
  }

  const stepUp = (cookie: string, response: unknown) => t.http.post('/step-up', { cookie, json: { method: 'passkey', response } });

  it('JSON: the options list only the user’s passkeys; a verified assertion moves auth_time, adds hwk + mfa to amr, is audited', async () => {
    const u = await stalePasskeyUser();
    const before = await authTimeOf(t, u.sessionId);
    const options = await stepUpOptions(u.cookie);
    const [stored] = await t.dataSource.getRepository(Passkey).findBy({ userId: u.user.id });
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'preferred' });
    expect(options.allowCredentials).toEqual([{ id: stored.credentialId, type: 'public-key', transports: ['internal'] }]);
    expect((await t.http.post('/account/tokens', { cookie: u.cookie, json: { name: 'k', scopes: ['read:device'] } })).status).toBe(403);

    const up = await stepUp(u.cookie, JSON.stringify(u.auth.getAssertion(options)));
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ authTime: expect.any(String), amr: ['pwd', 'hwk', 'mfa'], validForSeconds: 300 });
    const after = await authTimeOf(t, u.sessionId);
    expect(after.authTime.getTime()).toBeGreaterThan(before.authTime.getTime() + 3000_000);
    expect(after.amr).toEqual(['pwd', 'hwk', 'mfa']);
    const used = await t.dataSource.getRepository(Passkey).findOneByOrFail({ id: u.passkeyId });
    expect([used.signCount, used.lastUsedAt]).toEqual([1, expect.any(Date)]);
    expect((await t.http.post('/account/tokens', { cookie: u.cookie, json: { name: 'k', scopes: ['read:device'] } })).status).toBe(201);
    const audit = await auditByActor(t, u.user.id, 'auth.step_up');
    expect(audit.map((e) => [e.outcome, detailsOf(e).method, detailsOf(e).passkeyId])).toEqual([['success', 'passkey', u.passkeyId]]);
  });

  it('a page: "Use a passkey" is offered, and the refused form comes back intact after the passkey (the PAT has the name and scopes typed)', async () => {
    const u = await stalePasskeyUser(new SoftAuthenticator(RP_ID, origin, { backupEligible: true, userVerified: false }));
    const csrf = csrfOf((await t.http.get('/account/tokens', { cookie: u.cookie, headers: HTML })).text);
    const refused = await t.http.post('/account/tokens/new', {
      cookie: u.cookie,
      form: { _csrf: csrf, name: 'deploy key', scopes: ['read:device', 'write:device'] },
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('data-passkey="step-up"');
    expect(refused.text).toContain('data-options-url="/step-up/passkey/options"');
    expect(refused.text).toContain('Use a passkey');
    expect(refused.text).toContain('data-testid="step-up-password"');
    expect(refused.text).toContain('/static/passkeys.js');
    expect(refused.text).not.toContain('deploy key');
    const send = (carry: string, response: string) =>
      t.http.post('/account/tokens/new', {
        cookie: u.cookie,
        form: { _csrf: csrf, _stepup: carry, _stepup_method: 'passkey', _stepup_response: response },
      });

    // Garbage: the page again with the reason, the form still carried, no key.
    const bad = await send(carryOf(refused.text), 'not a credential');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('That is not a passkey response this site can read.');
    expect(await t.dataSource.getRepository(PersonalToken).countBy({ userId: u.user.id })).toBe(0);

    const options = await stepUpOptions(u.cookie);
    const done = await send(carryOf(bad.text), JSON.stringify(u.auth.getAssertion(options)));
    expect(done.status).toBe(303);
    const rows = await t.dataSource.getRepository(PersonalToken).findBy({ userId: u.user.id });
    expect(rows.map((r) => [r.name, [...r.scopes].sort()])).toEqual([['deploy key', ['read:device', 'write:device']]]);
    // A synced passkey without user verification: swk, no mfa (as a passkey sign-in records it).
    expect((await authTimeOf(t, u.sessionId)).amr).toEqual(['pwd', 'swk']);
    const audit = await auditByActor(t, u.user.id, 'auth.step_up');
    expect(audit.map((e) => `${e.outcome} ${detailsOf(e).method} ${detailsOf(e).reason ?? ''}`.trim())).toEqual([
      'failed passkey malformed_response',
      'success passkey',
    ]);
  });

  it('a passkey-only account without a password (single sign-on) confirms with its passkey; GET /step-up offers only that', async () => {
    const u = await stalePasskeyUser();
    await t.dataSource.query(`UPDATE users SET password_hash = '!sso' WHERE id = '${u.user.id}'`);
    const page = await t.http.get('/step-up?return=/account/tokens', { cookie: u.cookie, headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-passkey="step-up"');
    expect(page.text).not.toContain('data-testid="step-up-none"');
    expect(page.text).not.toContain('data-testid="step-up-password"');
    const options = await stepUpOptions(u.cookie);
    const res = await t.http.post('/step-up', {
      cookie: u.cookie,
      form: {
        _csrf: csrfOf(page.text),
        return: '/account/tokens',
        _stepup_method: 'passkey',
        _stepup_response: JSON.stringify(u.auth.getAssertion(options)),
      },
    });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/account/tokens']);
    expect((await t.http.post('/account/tokens', { cookie: u.cookie, json: { name: 'k', scopes: ['read:device'] } })).status).toBe(201);
  });

  it('without a passkey: no passkey form, the options are a 400, and method passkey is refused', async () => {
    const u = await createUser(t);
    const s = await signInWithId(t, u.email);
    const page = await t.http.get('/step-up', { cookie: s.cookie, headers: HTML });
    expect(page.text).not.toContain('data-passkey="step-up"');
    expect(page.text).not.toContain('simplewebauthn-browser.js');
    const options = await t.http.post('/step-up/passkey/options', { cookie: s.cookie, json: {} });
    expect([options.status, options.body.error]).toEqual([400, 'unknown_credential']);
    const res = await stepUp(s.cookie, '{}');
    expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    expect((await t.http.post('/step-up/passkey/options', { json: {} })).status).toBe(401);
  });

  describe('refusals: a 4xx with a message, the session still stale, audited', () => {
    async function refused(u: { cookie: string; sessionId: string }, response: unknown, status: number, error: string) {
      const before = await authTimeOf(t, u.sessionId);
      const res = await stepUp(u.cookie, response);
      expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
      expect(typeof res.body.message).toBe('string');
      expect((await authTimeOf(t, u.sessionId)).authTime).toEqual(before.authTime);
    }

    it('garbage of every shape, a response that is not a string, and a replayed assertion', async () => {
      const u = await stalePasskeyUser();
      await stepUpOptions(u.cookie);
      for (const garbage of [
        '',
        'garbage',
        '{}',
        '[]',
        '{"type":"public-key","id":"AA","rawId":"AA","response":{"clientDataJSON":"e30"}}',
      ]) {
        await refused(u, garbage, 400, 'malformed_response');
      }
      const v = await stalePasskeyUser();
      await refused(v, { id: 'x' }, 400, 'validation_failed');
      const options = await stepUpOptions(v.cookie);
      const good = JSON.stringify(v.auth.getAssertion(options));
      expect((await stepUp(v.cookie, good)).status).toBe(200);
      await ageAuthentication(t, v.sessionId);
      await refused(v, good, 400, 'challenge_missing');
      const audit = await auditByActor(t, u.user.id, 'auth.step_up');
      expect(audit.map((e) => `${e.outcome} ${detailsOf(e).reason}`)).toEqual(Array(5).fill('failed malformed_response'));
    });

    it('a sign-in challenge does not satisfy step-up, and a step-up challenge does not sign in', async () => {
      const u = await stalePasskeyUser();
      const signIn = await t.http.post('/auth/passkey/options', { json: {} });
      const browser = cookiePair(signIn.setCookies, t.get<PasskeySignInController>(PasskeySignInController).cookieName)!;
      await refused(u, JSON.stringify(u.auth.getAssertion(signIn.body)), 400, 'challenge_missing');
      // The same session asking for both: still only its step-up challenge counts for step-up.
      await stepUpOptions(u.cookie);
      await refused(u, JSON.stringify(u.auth.getAssertion(signIn.body)), 400, 'challenge_missing');

      const options = await stepUpOptions(u.cookie);
      const res = await t.http.post('/auth/passkey', {
        cookie: `${u.cookie}; ${browser}`,
        json: { response: JSON.stringify(u.auth.getAssertion(options)) },
      });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'challenge_missing' });
      // A registration challenge of this session is no step-up challenge either.
      const reg = await t.http.post('/account/passkeys/options', { cookie: u.cookie, json: {} });
      expect(reg.status).toBe(200);
      await refused(u, JSON.stringify(u.auth.getAssertion({ ...options, challenge: reg.body.challenge })), 400, 'challenge_missing');
    });

    it('another session’s challenge, another user’s passkey, a credential nobody registered', async () => {
      const u = await stalePasskeyUser();
      // A second session of the same user (signed in with the passkey: with one, the password alone is a partial session).
      const signIn = await t.http.post('/auth/passkey/options', { json: {} });
      const browser = cookiePair(signIn.setCookies, t.get<PasskeySignInController>(PasskeySignInController).cookieName)!;
      const second = await t.http.post('/auth/passkey', {
        cookie: browser,
        json: { response: JSON.stringify(u.auth.getAssertion(signIn.body)) },
      });
      expect(second.status).toBe(200);
      const otherCookie = cookiePair(second.setCookies, t.get<SessionCookieService>(SessionCookieService).name)!;
      const theirs = await stepUpOptions(otherCookie);
      await refused(u, JSON.stringify(u.auth.getAssertion(theirs)), 400, 'challenge_missing');

      const mallory = await stalePasskeyUser();
      let options = await stepUpOptions(u.cookie);
      await refused(u, JSON.stringify(mallory.auth.getAssertion(options)), 400, 'wrong_user');
      // Even when it claims this user's handle.
      options = await stepUpOptions(u.cookie);
      await refused(
        u,
        JSON.stringify(mallory.auth.getAssertion(options, { userHandle: u.auth.credentials[0].userHandle })),
        400,
        'wrong_user',
      );
      expect((await t.dataSource.getRepository(Passkey).findOneByOrFail({ id: mallory.passkeyId })).signCount).toBe(0);

      const stranger = new SoftAuthenticator(RP_ID, origin);
      stranger.createCredential(
        (await t.http.post('/account/passkeys/options', { cookie: (await signedInUser(t)).cookie, json: {} })).body,
      );
      options = await stepUpOptions(u.cookie);
      await refused(u, JSON.stringify(stranger.getAssertion(options)), 400, 'unknown_credential');
      const audit = await auditByActor(t, u.user.id, 'auth.step_up');
      expect(audit.map((e) => `${e.outcome} ${detailsOf(e).reason}`)).toEqual([
        'denied challenge_missing',
        'denied wrong_user',
        'denied wrong_user',
        'denied unknown_credential',
      ]);
    });

    it('an expired challenge, another origin, and a counter going backwards (refused and audited as at sign-in, the counter kept)', async () => {
      const u = await stalePasskeyUser(new SoftAuthenticator(RP_ID, origin, { counterStart: 7 }));
      let options = await stepUpOptions(u.cookie);
      await t.dataSource.getRepository(PasskeyChallenge).update({ challenge: options.challenge }, { expiresAt: new Date(Date.now() - 1) });
      await refused(u, JSON.stringify(u.auth.getAssertion(options, { counter: 8 })), 400, 'challenge_expired');

      options = await stepUpOptions(u.cookie);
      await refused(
        u,
        JSON.stringify(u.auth.getAssertion(options, { origin: 'https://evil.example', counter: 9 })),
        400,
        'verification_failed',
      );

      options = await stepUpOptions(u.cookie);
      await refused(u, JSON.stringify(u.auth.getAssertion(options, { counter: 3 })), 400, 'counter_regression');
      expect((await t.dataSource.getRepository(Passkey).findOneByOrFail({ id: u.passkeyId })).signCount).toBe(7);
      expect((await auditForTarget(t, u.passkeyId, 'passkey.counter_regression')).map((e) => [e.outcome, e.actorId])).toEqual([
        ['denied', u.user.id],
      ]);
      const audit = await auditByActor(t, u.user.id, 'auth.step_up');
      expect(audit.map((e) => `${e.outcome} ${detailsOf(e).reason}`)).toEqual([
        'denied challenge_expired',
        'failed verification_failed',
        'denied counter_regression',
      ]);
    });

    it('passkey attempts share the step-up limit with the password (per account: 429 + Retry-After for both)', async () => {
      const u = await stalePasskeyUser();
      for (let i = 0; i < 3; i++) await refused(u, 'garbage', 400, 'malformed_response');
      for (let i = 0; i < 2; i++)
        expect((await t.http.post('/step-up', { cookie: u.cookie, json: { method: 'password', password: 'wrong' } })).status).toBe(401);
      const options = await stepUpOptions(u.cookie);
      const limited = await stepUp(u.cookie, JSON.stringify(u.auth.getAssertion(options)));
      expect([limited.status, limited.body.error]).toEqual([429, 'too_many_requests']);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const pw = await t.http.post('/step-up', { cookie: u.cookie, json: { method: 'password', password: TEST_PASSWORD } });
      expect(pw.status).toBe(429);
    });
  });
});
