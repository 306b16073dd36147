import { AuditEvent } from '../../src/audit/audit-event.entity';
import { RecoveryCode } from '../../src/recovery-codes/recovery-code.entity';
import { PasskeyChallenge } from '../../src/passkeys/passkey-challenge.entity';
import { Passkey } from '../../src/passkeys/passkey.entity';
import { PasskeySignInController } from '../../src/passkeys/passkey-sign-in.controller';
import { Session } from '../../src/sessions/session.entity';
import { SessionCookieService } from '../../src/sessions/session-cookie.service';
import { CredentialEpochService } from '../../src/users/credential-epoch.service';
import { UsersService } from '../../src/users/users.service';
import { auditByActor, detailsOf, startIsolatedTestApp } from './support/admin.fixture';
import { cookiePair } from './support/http-client';
import { csrfOf as csrfOfPage, enrolTotp, passwordStep } from './support/mfa.fixture';
import { settleOutbox } from './support/outbox.fixture';
import { flashMessage, followRedirect, HTML } from './support/pages.fixture';
import { PASSKEY_RP_ID, SoftAuthenticator, startPasskeyTestApp } from './support/passkeys.fixture';
import { SmtpSink, startSmtpSink } from './support/smtp-sink';
import { freePort, TestApp } from './support/test-app';
import { createUser, signedInUser, TEST_PASSWORD } from './support/users.fixture';

/**
 * Passkeys over HTTP: registration from the account page and passwordless sign-in, with real
 * WebAuthn responses from a software authenticator (ES256, `none` attestation), and every
 * refusal of issue 25's bad-input list: a 4xx with a message, never a 500, nothing stored.
 */
describe('passkeys (WebAuthn)', () => {
  let t: TestApp;
  let origin: string;
  const RP_ID = PASSKEY_RP_ID;

  beforeAll(async () => {
    ({ t, origin } = await startPasskeyTestApp());
  });
  afterAll(() => t?.close());

  const passkeysOf = (userId: string) => t.dataSource.getRepository(Passkey).find({ where: { userId } });
  const auditOf = (action: string, targetOrActor: string) =>
    t.dataSource.getRepository(AuditEvent).find({
      where: [
        { action, targetId: targetOrActor },
        { action, actorId: targetOrActor },
      ],
      order: { occurredAt: 'ASC' },
    });

  async function registrationOptions(cookie: string) {
    const res = await t.http.post('/account/passkeys/options', { cookie, json: {} });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** A signed-in person with one registered passkey on `auth`. */
  async function withPasskey(auth = new SoftAuthenticator(RP_ID, origin)) {
    const u = await signedInUser(t);
    const options = await registrationOptions(u.cookie);
    const res = await t.http.post('/account/passkeys', {
      cookie: u.cookie,
      json: { name: 'Laptop', response: JSON.stringify(auth.createCredential(options)) },
    });
    expect(res.status).toBe(201);
    return { ...u, auth, passkeyId: res.body.id as string };
  }

  /** Sign-in options with the cookie that binds their challenge. */
  async function signInOptions() {
    const res = await t.http.post('/auth/passkey/options', { json: {} });
    expect(res.status).toBe(200);
    const name = t.get<PasskeySignInController>(PasskeySignInController).cookieName;
    const cookie = cookiePair(res.setCookies, name);
    expect(cookie).toBeDefined();
    return { options: res.body, cookie: cookie! };
  }

  describe('registration', () => {
    it('creates options for this RP with a discoverable credential, and stores a verified passkey', async () => {
      const u = await signedInUser(t);
      const options = await registrationOptions(u.cookie);
      expect(options.rp).toEqual({ name: 'Gatehouse', id: RP_ID });
      expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
      expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(u.user.id);
      const auth = new SoftAuthenticator(RP_ID, origin, { backupEligible: true });
      const res = await t.http.post('/account/passkeys', {
        cookie: u.cookie,
        json: { name: '  Work   laptop ', response: JSON.stringify(auth.createCredential(options)) },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Work laptop', backupEligible: true, backedUp: true, transports: ['internal'] });
      const [stored] = await passkeysOf(u.user.id);
      expect(stored).toMatchObject({ name: 'Work laptop', signCount: 0, credentialId: auth.credentials[0].id.toString('base64url') });
      expect(stored.publicKey.length).toBeGreaterThan(40);
      expect(await auditOf('passkey.add', stored.id)).toEqual([expect.objectContaining({ outcome: 'success', actorId: u.user.id })]);

      // The next options exclude it, so the authenticator will not make a second one.
      const again = await registrationOptions(u.cookie);
      expect(again.excludeCredentials).toEqual([expect.objectContaining({ id: stored.credentialId })]);
    });

    it('adds several named passkeys through the form, lists, renames and deletes them (audited)', async () => {
      const u = await signedInUser(t);
      for (const name of ['Phone', 'YubiKey']) {
        const auth = new SoftAuthenticator(RP_ID, origin);
        const options = await registrationOptions(u.cookie);
        const posted = await t.http.post('/account/passkeys', {
          cookie: u.cookie,
          headers: HTML,
          form: { _csrf: await csrfOf(u.cookie), name, response: JSON.stringify(auth.createCredential(options)) },
        });
        const page = await followRedirect(t, posted, u.cookie);
        expect(flashMessage(page.text)).toContain(`Passkey “${name}” added`);
      }
      const page = await t.http.get('/account/passkeys', { cookie: u.cookie, headers: HTML });
      expect(page.status).toBe(200);
      expect(page.text).toContain('value="Phone"');
      expect(page.text).toContain('value="YubiKey"');
      const [newest] = await passkeysOf(u.user.id).then((l) => l.filter((p) => p.name === 'YubiKey'));

      const csrf = await csrfOf(u.cookie);
      const renamed = await t.http.post(`/account/passkeys/${newest.id}/rename`, {
        cookie: u.cookie,
        form: { _csrf: csrf, name: 'Blue key' },
      });
      expect(flashMessage((await followRedirect(t, renamed, u.cookie)).text)).toContain('renamed to “Blue key”');
      const badName = await t.http.post(`/account/passkeys/${newest.id}/rename`, {
        cookie: u.cookie,
        headers: HTML,
        form: { _csrf: csrf, name: '   ' },
      });
      expect(badName.status).toBe(400);
      expect(badName.text).toContain('Give the passkey a name');

      const deleted = await t.http.post(`/account/passkeys/${newest.id}/delete`, { cookie: u.cookie, form: { _csrf: csrf } });
      expect(flashMessage((await followRedirect(t, deleted, u.cookie)).text)).toContain('“Blue key” deleted');
      expect((await passkeysOf(u.user.id)).map((p) => p.name)).toEqual(['Phone']);
      expect(await auditOf('passkey.rename', newest.id)).toEqual([
        expect.objectContaining({ outcome: 'success', details: expect.stringContaining('Blue key') }),
      ]);
      expect(await auditOf('passkey.remove', newest.id)).toHaveLength(1);

      // Another person's passkey is not there for them: 404, and it stays.
      const other = await signedInUser(t);
      const [phone] = await passkeysOf(u.user.id);
      expect((await t.http.post(`/account/passkeys/${phone.id}/delete`, { cookie: other.cookie, json: {} })).status).toBe(404);
      expect((await t.http.post(`/account/passkeys/${phone.id}/rename`, { cookie: other.cookie, json: { name: 'mine' } })).status).toBe(
        404,
      );
      expect(await passkeysOf(u.user.id)).toHaveLength(1);
    });

    async function csrfOf(cookie: string): Promise<string> {
      const page = await t.http.get('/account/passkeys', { cookie, headers: HTML });
      return /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    }

    it('refuses garbage, a replay, another challenge, another origin or RP ID, another user and an expired challenge (4xx, nothing stored)', async () => {
      const u = await signedInUser(t);
      const auth = new SoftAuthenticator(RP_ID, origin);
      const post = (response: string) => t.http.post('/account/passkeys', { cookie: u.cookie, json: { name: 'Key', response } });
      const refused = async (response: string, status: number, error: string) => {
        const res = await post(response);
        expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
        expect(typeof res.body.message).toBe('string');
      };

      // Garbage of every shape.
      await registrationOptions(u.cookie);
      for (const garbage of ['', 'not json', '[]', 'null', '{}', '{"id":"x","rawId":"x","type":"public-key","response":{}}']) {
        await refused(garbage, 400, 'malformed_response');
      }
      const huge = await post('x'.repeat(40_000));
      expect(huge.status).toBe(400);
      const wrongClientData = auth.createCredential(await registrationOptions(u.cookie));
      wrongClientData.response.clientDataJSON = Buffer.from('{"challenge":5}').toString('base64url');
      await refused(JSON.stringify(wrongClientData), 400, 'malformed_response');

      // A challenge this session never got.
      const options = await registrationOptions(u.cookie);
      await refused(
        JSON.stringify(auth.createCredential(options, { challenge: 'bm90LWEtY2hhbGxlbmdlLXdlLWlzc3VlZA' })),
        400,
        'challenge_missing',
      );
      // Another origin, another RP ID: the library refuses, and the challenge is spent.
      let o = await registrationOptions(u.cookie);
      await refused(JSON.stringify(auth.createCredential(o, { origin: 'https://evil.example' })), 400, 'verification_failed');
      await refused(JSON.stringify(auth.createCredential(o)), 400, 'challenge_missing');
      o = await registrationOptions(u.cookie);
      await refused(JSON.stringify(auth.createCredential(o, { rpId: 'evil.example' })), 400, 'verification_failed');
      // A newer challenge replaces an older one.
      const older = await registrationOptions(u.cookie);
      await registrationOptions(u.cookie);
      await refused(JSON.stringify(auth.createCredential(older)), 400, 'challenge_missing');

      // Another user's challenge: their options, this session.
      const other = await signedInUser(t);
      const theirs = await registrationOptions(other.cookie);
      await refused(JSON.stringify(auth.createCredential(theirs)), 400, 'challenge_missing');

      // Older than its timeout.
      o = await registrationOptions(u.cookie);
      await t.dataSource.getRepository(PasskeyChallenge).update({ challenge: o.challenge }, { expiresAt: new Date(Date.now() - 1000) });
      await refused(JSON.stringify(auth.createCredential(o)), 400, 'challenge_expired');

      // After the credential epoch moved (access ended while the ceremony ran).
      o = await registrationOptions(u.cookie);
      await new Promise((r) => setTimeout(r, 5));
      await t.get<CredentialEpochService>(CredentialEpochService).bump(u.user.id, 'revoke_all');
      await refused(JSON.stringify(auth.createCredential(o)), 400, 'credentials_revoked');

      expect(await passkeysOf(u.user.id)).toEqual([]);
      expect((await auditOf('passkey.add', u.user.id)).every((e) => e.outcome === 'denied')).toBe(true);

      // Now a good one; then the same response again (replay) and the same credential id again.
      o = await registrationOptions(u.cookie);
      const good = JSON.stringify(auth.createCredential(o));
      const registeredId = auth.credentials[auth.credentials.length - 1].id;
      expect((await post(good)).status).toBe(201);
      await refused(good, 400, 'challenge_missing');
      const dup = auth.createCredential(await registrationOptions(u.cookie), { credentialId: registeredId });
      await refused(JSON.stringify(dup), 409, 'already_registered');
      // Also when someone else registers that credential id.
      const dupOther = auth.createCredential(await registrationOptions(other.cookie), { credentialId: registeredId });
      const res = await t.http.post('/account/passkeys', {
        cookie: other.cookie,
        json: { name: 'Key', response: JSON.stringify(dupOther) },
      });
      expect(res.status).toBe(409);
      expect(await passkeysOf(u.user.id)).toHaveLength(1);
      expect(await passkeysOf(other.user.id)).toHaveLength(0);
    });

    it('answers a bad form post with the page and its message (4xx), keeping the typed name', async () => {
      const u = await signedInUser(t);
      const page = await t.http.get('/account/passkeys', { cookie: u.cookie, headers: HTML });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await t.http.post('/account/passkeys', {
        cookie: u.cookie,
        headers: HTML,
        form: { _csrf: csrf, name: 'My key', response: '{"garbage":true}' },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('That is not a passkey response this site can read.');
      expect(res.text).toContain('value="My key"');
      // Without the CSRF token, a form post is refused before anything else.
      const noCsrf = await t.http.post('/account/passkeys', { cookie: u.cookie, form: { name: 'x', response: '{}' } });
      expect(noCsrf.status).toBe(403);
    });

    it('needs a signed-in session, and a same-origin request', async () => {
      expect((await t.http.post('/account/passkeys/options', { json: {} })).status).toBe(401);
      const page = await t.http.get('/account/passkeys', { headers: HTML });
      expect(page.status).toBe(303);
      const u = await signedInUser(t);
      const cross = await t.http.post('/account/passkeys/options', { cookie: u.cookie, json: {}, origin: 'https://evil.example' });
      expect(cross.status).toBe(403);
    });
  });

  describe('passwordless sign-in', () => {
    it('signs in with a discoverable passkey: a full session with amr, the counter and last use recorded, audited', async () => {
      const { user, auth, passkeyId } = await withPasskey(new SoftAuthenticator(RP_ID, origin, { counterStart: 5 }));
      const { options, cookie } = await signInOptions();
      expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'preferred', allowCredentials: [] });
      const res = await t.http.post('/auth/passkey', { cookie, json: { response: JSON.stringify(auth.getAssertion(options)) } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ user: { id: user.id }, amr: ['hwk', 'mfa'] });
      const session = await t.dataSource.getRepository(Session).findOneByOrFail({ id: res.body.sessionId });
      expect(session.amr).toEqual(['hwk', 'mfa']);
      const sessionCookie = cookiePair(res.setCookies, t.get<SessionCookieService>(SessionCookieService).name);
      const me = await t.http.get('/me', { cookie: sessionCookie });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ sub: user.id, credential: { kind: 'session' } });
      const stored = await t.dataSource.getRepository(Passkey).findOneByOrFail({ id: passkeyId });
      expect(stored.signCount).toBe(6);
      expect(stored.lastUsedAt).not.toBeNull();
      expect(await auditOf('auth.passkey_login', passkeyId)).toEqual([expect.objectContaining({ outcome: 'success', actorId: user.id })]);
    });

    it('records swk for a synced passkey and no mfa without user verification; a form post goes to next', async () => {
      const { user, auth } = await withPasskey(new SoftAuthenticator(RP_ID, origin, { backupEligible: true, userVerified: false }));
      const { options, cookie } = await signInOptions();
      const res = await t.http.post('/auth/passkey', {
        cookie,
        origin: t.baseUrl,
        form: { response: JSON.stringify(auth.getAssertion(options)), next: '/account/tokens' },
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account/tokens');
      const sessions = await t.dataSource.getRepository(Session).find({ where: { userId: user.id }, order: { createdAt: 'DESC' } });
      expect(sessions[0].amr).toEqual(['swk']);
    });

    it('refuses garbage, replay, another challenge or browser, another origin, another user, a counter going back, and expired challenges', async () => {
      const { user, auth, passkeyId } = await withPasskey();
      const signIn = (cookie: string | undefined, response: string) => t.http.post('/auth/passkey', { cookie, json: { response } });
      const refused = async (cookie: string | undefined, response: string, status: number, error: string) => {
        const res = await signIn(cookie, response);
        expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
        expect(res.setCookies.some((c) => c.startsWith('__Host-gatehouse_session='))).toBe(false);
      };

      let s = await signInOptions();
      for (const garbage of ['', 'garbage', '{}', '{"type":"public-key","id":"AA","rawId":"AA","response":{"clientDataJSON":"e30"}}']) {
        await refused(s.cookie, garbage, 400, 'malformed_response');
      }
      // No cookie: the challenge is bound to the browser that asked for it.
      s = await signInOptions();
      await refused(undefined, JSON.stringify(auth.getAssertion(s.options)), 400, 'challenge_missing');
      // Another browser's challenge.
      const a = await signInOptions();
      const b = await signInOptions();
      await refused(b.cookie, JSON.stringify(auth.getAssertion(a.options)), 400, 'challenge_missing');
      // Another origin / RP ID.
      s = await signInOptions();
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { origin: 'https://evil.example' })), 400, 'verification_failed');
      s = await signInOptions();
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { rpId: 'evil.example' })), 400, 'verification_failed');
      // Another user: the user handle names someone else.
      s = await signInOptions();
      const otherHandle = Buffer.from('00000000-0000-4000-8000-000000000000').toString('base64url');
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { userHandle: otherHandle })), 400, 'wrong_user');
      // A credential nobody registered.
      s = await signInOptions();
      const stranger = new SoftAuthenticator(RP_ID, origin);
      stranger.createCredential({ ...(await registrationOptions((await signedInUser(t)).cookie)) });
      await refused(s.cookie, JSON.stringify(stranger.getAssertion(s.options)), 400, 'unknown_credential');
      // A signature by another key over this credential id.
      s = await signInOptions();
      await refused(
        s.cookie,
        JSON.stringify(
          stranger.getAssertion(s.options, { credentialId: auth.credentials[0].id, userHandle: auth.credentials[0].userHandle }),
        ),
        400,
        'verification_failed',
      );

      // A good sign-in, then its replay (same cookie, same response).
      s = await signInOptions();
      const good = JSON.stringify(auth.getAssertion(s.options));
      expect((await signIn(s.cookie, good)).status).toBe(200);
      await refused(s.cookie, good, 400, 'challenge_missing');

      // The counter goes back (a cloned authenticator): refused and audited, the stored counter kept.
      const counterBefore = (await t.dataSource.getRepository(Passkey).findOneByOrFail({ id: passkeyId })).signCount;
      expect(counterBefore).toBeGreaterThan(0);
      s = await signInOptions();
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { counter: 0 })), 400, 'counter_regression');
      expect(await auditOf('passkey.counter_regression', passkeyId)).toEqual([
        expect.objectContaining({ outcome: 'denied', actorId: user.id }),
      ]);
      expect((await t.dataSource.getRepository(Passkey).findOneByOrFail({ id: passkeyId })).signCount).toBe(counterBefore);

      // Older than its timeout.
      s = await signInOptions();
      await t.dataSource
        .getRepository(PasskeyChallenge)
        .update({ challenge: s.options.challenge }, { expiresAt: new Date(Date.now() - 1) });
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { counter: 10 })), 400, 'challenge_expired');

      // Issued before the user's access was ended.
      s = await signInOptions();
      await new Promise((r) => setTimeout(r, 5));
      await t.get<CredentialEpochService>(CredentialEpochService).bump(user.id, 'revoke_all');
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { counter: 11 })), 400, 'credentials_revoked');

      // A disabled user.
      await t.get<UsersService>(UsersService).setStatus(user.id, 'disabled');
      s = await signInOptions();
      await refused(s.cookie, JSON.stringify(auth.getAssertion(s.options, { counter: 12 })), 403, 'user_disabled');

      const failures = await auditOf('auth.passkey_login', user.id);
      expect(failures.filter((e) => e.outcome !== 'success').length).toBeGreaterThanOrEqual(4);
    });

    it('shows the passkey page, and a refused form post renders it with the message (4xx)', async () => {
      const page = await t.http.get('/login/passkey?next=/account/tokens', { headers: HTML });
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-passkey="sign-in"');
      expect(page.text).toContain('value="/account/tokens"');
      const login = await t.http.get('/login', { headers: HTML });
      expect(login.text).toContain('href="/login/passkey?next&#x3D;%2Faccount"');

      const { options, cookie } = await signInOptions();
      void options;
      const res = await t.http.post('/auth/passkey', { cookie, origin: t.baseUrl, headers: HTML, form: { response: 'garbage' } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('That is not a passkey response this site can read.');
      const bundle = await t.http.get('/passkeys/simplewebauthn-browser.js');
      expect(bundle.status).toBe(200);
      expect(bundle.text).toContain('SimpleWebAuthnBrowser');
    });
  });

  describe('as the second factor', () => {
    it("completes a password sign-in of a user with a passkey: amr pwd + hwk + mfa; another user's passkey is refused", async () => {
      const { email, auth } = await withPasskey();
      const login = await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl });
      expect(login.status).toBe(200);
      expect(login.body.pendingStep).toBe('mfa');
      const partial = cookiePair(login.setCookies, t.get<SessionCookieService>(SessionCookieService).name)!;
      // Another account's passkey does not finish this sign-in.
      const other = await withPasskey();
      let s = await signInOptions();
      let res = await t.http.post('/auth/passkey', {
        cookie: `${partial}; ${s.cookie}`,
        json: { response: JSON.stringify(other.auth.getAssertion(s.options)) },
      });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'wrong_user' });
      s = await signInOptions();
      res = await t.http.post('/auth/passkey', {
        cookie: `${partial}; ${s.cookie}`,
        json: { response: JSON.stringify(auth.getAssertion(s.options)) },
      });
      expect(res.status).toBe(200);
      expect(res.body.amr).toEqual(['pwd', 'hwk', 'mfa']);
      expect((await t.http.get('/me', { cookie: partial })).status).toBe(200);
    });
  });

  describe('as an MFA enrolment (the MFA core’s hooks), under MFA_REQUIRED=all', () => {
    let m: TestApp;
    let mOrigin: string;
    let sink: SmtpSink;

    beforeAll(async () => {
      sink = await startSmtpSink();
      const port = await freePort();
      mOrigin = `http://localhost:${port}`;
      // The outbox (the MFA notices) is database-wide: a database of its own on MariaDB/PostgreSQL.
      m = await startIsolatedTestApp({ PUBLIC_URL: mOrigin, MFA_REQUIRED: 'all', SMTP_URL: `smtp://127.0.0.1:${sink.port}` }, { port });
    });
    afterAll(async () => {
      await m?.close();
      await sink?.close();
    });

    const mailsTo = async (email: string, subject: string) => {
      await settleOutbox(m);
      return sink.messages.filter((msg) => msg.includes(email) && msg.includes(subject));
    };

    /** A user without a factor, signed in with the password: the session is held at enrolment. */
    async function heldUser() {
      const u = await createUser(m);
      const { cookie, res } = await passwordStep(m, u.email);
      expect(res.body.pendingStep).toBe('mfa-enrol');
      return { ...u, cookie };
    }

    /** Registers a passkey through the page's form post (options, then the response); returns the 303. */
    async function registerByForm(cookie: string, name: string, auth = new SoftAuthenticator(RP_ID, mOrigin)) {
      const page = await m.http.get('/account/passkeys', { cookie, headers: HTML });
      expect(page.status).toBe(200);
      const options = await m.http.post('/account/passkeys/options', { cookie, json: {} });
      expect(options.status).toBe(200);
      return m.http.post('/account/passkeys', {
        cookie,
        headers: HTML,
        form: { _csrf: csrfOfPage(page.text), name, response: JSON.stringify(auth.createCredential(options.body)) },
      });
    }

    async function deleteByForm(cookie: string, passkeyId: string) {
      const page = await m.http.get('/account/passkeys', { cookie, headers: HTML });
      return m.http.post(`/account/passkeys/${passkeyId}/delete`, { cookie, headers: HTML, form: { _csrf: csrfOfPage(page.text) } });
    }

    const passkeysIn = (userId: string) => m.dataSource.getRepository(Passkey).find({ where: { userId }, order: { createdAt: 'ASC' } });

    it('a user held at enrolment registers a passkey there and is released: recovery codes shown once, audited, mailed', async () => {
      const u = await heldUser();
      expect((await m.http.get('/me', { cookie: u.cookie })).status).toBe(403);
      const posted = await registerByForm(u.cookie, 'Laptop');
      expect(posted.status).toBe(303);
      const page = await followRedirect(m, posted, u.cookie);
      expect(page.status).toBe(200);
      expect(flashMessage(page.text)).toContain('Passkey “Laptop” added');
      const list = /data-testid="revealed-lines">([\s\S]*?)<\/ol>/.exec(page.text)?.[1] ?? '';
      const codes = [...list.matchAll(/<code>([a-z0-9-]+)<\/code>/g)].map((x) => x[1]);
      expect(codes).toHaveLength(10);
      expect(await m.dataSource.getRepository(RecoveryCode).countBy({ userId: u.user.id })).toBe(10);

      // Released: a full session, multi-factor.
      expect((await m.http.get('/me', { cookie: u.cookie })).status).toBe(200);
      const session = await m.dataSource.getRepository(Session).findOneByOrFail({ userId: u.user.id });
      expect(session.pendingStep ?? null).toBeNull();
      expect(JSON.stringify(session.amr)).toContain('hwk');

      const [added] = await auditByActor(m, u.user.id, 'mfa.factor_added');
      expect(added).toMatchObject({ outcome: 'success', targetId: u.user.id });
      expect(detailsOf(added)).toEqual({ factor: 'passkey', recoveryCodesIssued: 10 });
      const mails = await mailsTo(u.email, 'a second factor was added');
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain('A second factor (Passkey) was added');
      expect(mails[0]).not.toContain(codes[0]);

      // A second passkey is another enrolment, without new codes; the next sign-in asks for a factor.
      const auth = new SoftAuthenticator(RP_ID, mOrigin);
      const options = await m.http.post('/account/passkeys/options', { cookie: u.cookie, json: {} });
      const json = await m.http.post('/account/passkeys', {
        cookie: u.cookie,
        json: { name: 'Phone', response: JSON.stringify(auth.createCredential(options.body)) },
      });
      expect(json.status).toBe(201);
      expect(json.body.recoveryCodes).toBeNull();
      expect(detailsOf((await auditByActor(m, u.user.id, 'mfa.factor_added'))[1])).toEqual({ factor: 'passkey' });
      expect((await passwordStep(m, u.email)).res.body.pendingStep).toBe('mfa');
    });

    it('a held session reaches only the registration routes of the passkey page', async () => {
      const u = await heldUser();
      const stranger = '00000000-0000-4000-8000-000000000000';
      expect((await m.http.post(`/account/passkeys/${stranger}/rename`, { cookie: u.cookie, json: { name: 'x' } })).status).toBe(403);
      expect((await m.http.post(`/account/passkeys/${stranger}/delete`, { cookie: u.cookie, json: {} })).status).toBe(403);
      expect((await m.http.get('/account/passkeys', { cookie: u.cookie, headers: HTML })).status).toBe(200);
    });

    it('deleting the last factor is refused (409 with the page message, nothing deleted); one of two goes (audited, mailed)', async () => {
      const u = await heldUser();
      expect((await registerByForm(u.cookie, 'Laptop')).status).toBe(303);
      const [only] = await passkeysIn(u.user.id);

      const refused = await deleteByForm(u.cookie, only.id);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('requires a second factor');
      const json = await m.http.post(`/account/passkeys/${only.id}/delete`, { cookie: u.cookie, json: {} });
      expect(json.status).toBe(409);
      expect(json.body.message).toContain('requires a second factor');
      expect(await passkeysIn(u.user.id)).toHaveLength(1);
      expect(await auditByActor(m, u.user.id, 'passkey.remove')).toHaveLength(0);
      expect(await auditByActor(m, u.user.id, 'mfa.factor_removed')).toHaveLength(0);

      // Of two passkeys, one may go; the last is refused again.
      expect((await registerByForm(u.cookie, 'Phone')).status).toBe(303);
      const deleted = await deleteByForm(u.cookie, only.id);
      expect(flashMessage((await followRedirect(m, deleted, u.cookie)).text)).toContain('“Laptop” deleted');
      const [phone] = await passkeysIn(u.user.id);
      expect(phone.name).toBe('Phone');
      const [removed] = await auditByActor(m, u.user.id, 'mfa.factor_removed');
      expect(detailsOf(removed)).toEqual({ factor: 'passkey' });
      const mails = await mailsTo(u.email, 'a second factor was removed');
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain('A second factor (Passkey) was removed');
      expect((await deleteByForm(u.cookie, phone.id)).status).toBe(409);

      // With an authenticator app beside it, the last passkey may go too; the recovery codes stay.
      await enrolTotp(m, u.cookie);
      expect((await m.http.post(`/account/passkeys/${phone.id}/delete`, { cookie: u.cookie, json: {} })).status).toBe(204);
      expect(await passkeysIn(u.user.id)).toHaveLength(0);
      expect(await m.dataSource.getRepository(RecoveryCode).countBy({ userId: u.user.id })).toBe(10);
      expect(await auditByActor(m, u.user.id, 'mfa.factor_removed')).toHaveLength(2);
    });
  });
});
