import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ExternalIdentity } from '../../src/sso-connections/external-identity.entity';
import { SsoConnection } from '../../src/sso-connections/sso-connection.entity';
import { SsoStateCookie } from '../../src/sso/sso-state.cookie';
import { User } from '../../src/users/user.entity';
import { Session } from '../../src/sessions/session.entity';
import { auditForTarget, detailsOf, signedInAdmin, SignedIn } from './support/admin.fixture';
import {
  browse,
  continueUrl,
  CookieJar,
  createConnection,
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  sessionCookie,
  ssoSignIn,
  startSsoApp,
  startUpstreamIdp,
  uniqueRealm,
  UpstreamIdp,
} from './support/sso.fixture';
import { cookiePair } from './support/http-client';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { TestApp } from './support/test-app';
import { createUser, signIn, TEST_PASSWORD } from './support/users.fixture';

/**
 * Enterprise SSO (issue 26) over HTTP, with node-oidc-provider as the upstream IdP: connections,
 * the code flow through openid-client, JIT accounts, matching by iss + sub, linking rules,
 * home-realm discovery, "require SSO", and every refusal as a readable page + audit event.
 */
describe('Single sign-on through an upstream OpenID Connect IdP', () => {
  let t: TestApp;
  let idp: UpstreamIdp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await startSsoApp();
    idp = await startUpstreamIdp(t.baseUrl);
    admin = await signedInAdmin(t);
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  const users = () => t.dataSource.getRepository(User);
  const identities = () => t.dataSource.getRepository(ExternalIdentity);
  const last = (hops: { status: number; url: string; text: string }[]) => hops[hops.length - 1];
  /** The audit rows of refused SSO sign-ins at one connection (the slug is unique per test). */
  const refusals = async (slug: string) =>
    (await t.dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.sso_login', outcome: 'denied' } }))
      .map(detailsOf)
      .filter((d) => d.connection === slug);

  async function realm(fields: Record<string, unknown> = {}) {
    const { slug, domain } = uniqueRealm();
    const c = await createConnection(t, admin, idp, { slug, allowedDomains: [domain], ...fields });
    return { ...c, domain };
  }

  describe('connections (admin API)', () => {
    it('creates a connection after checking discovery; the secret is sealed at rest and never shown or audited', async () => {
      const { slug, domain } = uniqueRealm();
      const res = await t.http.post('/admin/sso/connections', {
        cookie: admin.cookie,
        json: {
          slug,
          name: 'Example Corp',
          issuer: idp.issuer,
          clientId: 'gatehouse',
          clientSecret: IDP_CLIENT_SECRET,
          allowedDomains: [domain],
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        slug,
        enabled: true,
        clientSecretSet: true,
        trustEmail: false,
        scopes: ['openid', 'email', 'profile'],
      });
      expect(res.body.redirectUri).toBe(`${t.baseUrl}/auth/sso/${slug}/callback`);
      expect(res.text).not.toContain(IDP_CLIENT_SECRET);
      const row = await t.dataSource.getRepository(SsoConnection).findOneByOrFail({ slug });
      expect(row.clientSecretSealed).not.toContain(IDP_CLIENT_SECRET);
      expect(row.clientSecretSealed.split('.')).toHaveLength(5); // compact JWE (RFC 7516 §7.1)
      const listed = await t.http.get('/admin/sso/connections', { cookie: admin.cookie });
      expect(listed.text).not.toContain(IDP_CLIENT_SECRET);
      const [created] = await auditForTarget(t, res.body.id, 'admin.sso.create');
      expect(created.outcome).toBe('success');
      expect(JSON.stringify(created)).not.toContain(IDP_CLIENT_SECRET);

      // A new secret replaces the old one; the audit row names the field, not the value.
      const changed = await t.http.patch(`/admin/sso/connections/${res.body.id}`, {
        cookie: admin.cookie,
        json: { clientSecret: 'another-secret-value' },
      });
      expect(changed.status).toBe(200);
      const [update] = await auditForTarget(t, res.body.id, 'admin.sso.update');
      expect(detailsOf(update).changed).toEqual(['clientSecret']);
      expect(JSON.stringify(update)).not.toContain('another-secret-value');
    });

    it('refuses bad input with a 400 or 409: garbage or foreign discovery, unreachable issuer, http in production shape, duplicate slug or domain', async () => {
      const base = { name: 'X', clientId: 'gatehouse', clientSecret: 's' };
      const post = (json: Record<string, unknown>) =>
        t.http.post('/admin/sso/connections', { cookie: admin.cookie, json: { ...base, ...json } });
      const { slug, domain } = uniqueRealm();
      expect((await post({ slug: 'Bad Slug', issuer: idp.issuer })).status).toBe(400);
      expect((await post({ slug, issuer: 'ftp://idp.example' })).status).toBe(400);
      expect((await post({ slug, issuer: 'http://127.0.0.1:1' })).status).toBe(400); // unreachable
      await idp.send({ fault: { path: '/.well-known/openid-configuration', kind: 'garbage' } });
      const garbage = await post({ slug, issuer: idp.issuer });
      await idp.send({ fault: { path: '/.well-known/openid-configuration', kind: 'other-issuer' } });
      const foreign = await post({ slug, issuer: idp.issuer });
      await idp.send({ clear: true });
      expect(garbage.status).toBe(400);
      expect(garbage.body.message).toMatch(/Discovery .* failed/);
      expect(foreign.status).toBe(400);
      expect((await post({ slug, issuer: idp.issuer, allowedDomains: ['not a domain'] })).status).toBe(400);
      expect((await post({ slug, issuer: idp.issuer, defaultRoles: ['root'] })).status).toBe(400);
      expect((await post({ slug, issuer: idp.issuer, allowedDomains: [domain] })).status).toBe(201);
      expect((await post({ slug, issuer: idp.issuer })).status).toBe(409);
      expect((await post({ slug: `${slug}-2`, issuer: idp.issuer, requiredDomains: [domain] })).status).toBe(409);
    });

    it('is admin-only', async () => {
      const user = await createUser(t);
      const cookie = await signIn(t, user.email);
      expect((await t.http.get('/admin/sso/connections', { cookie })).status).toBe(403);
      expect((await t.http.get('/admin/sso/connections')).status).toBe(401);
    });
  });

  describe('sign-in', () => {
    it('signs in through the button: JIT account without a password, the default roles; a second sign-in reuses it by iss + sub', async () => {
      const c = await realm({ defaultRoles: ['viewer'] });
      const sub = `sub-${c.slug}`;
      const email = `ada@${c.domain}`;
      await idp.signInAs(sub, { email, email_verified: true, name: 'Ada Lovelace' });

      const page = await t.http.get('/login', { headers: { accept: 'text/html' } });
      expect(page.text).toContain(`href="/auth/sso/${c.slug}/start?next&#x3D;%2Faccount"`);
      expect(page.text).toContain('Sign in with Example Corp');

      const { jar, hops } = await ssoSignIn(t, c.slug);
      const callback = hops.find((h) => h.url.includes('/callback'))!;
      expect(callback.status).toBe(303);
      expect(callback.location).toBe('/account');
      expect(new URL(callback.url).searchParams.get('iss')).toBe(idp.issuer); // RFC 9207, checked by openid-client
      const cookie = sessionCookie(t, jar)!;
      const me = await t.http.get('/me', { cookie });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, name: 'Ada Lovelace' });
      const user = await users().findOneByOrFail({ email });
      expect(user.roles).toEqual(['viewer']);
      expect(user.passwordHash.startsWith('!')).toBe(true);
      // No password works for it, not even an empty one.
      expect((await t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl })).status).toBe(401);
      // The state cookie is spent.
      expect(jar.get(t.baseUrl, t.get<SsoStateCookie>(SsoStateCookie).name)).toBeUndefined();

      const again = await ssoSignIn(t, c.slug);
      expect(last(again.hops).url).toBe(`${t.baseUrl}/account`);
      expect((await t.http.get('/me', { cookie: sessionCookie(t, again.jar)! })).body.sub).toBe(user.id);
      expect(await identities().countBy({ userId: user.id })).toBe(1);

      const events = await auditForTarget(t, user.id);
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['sso.jit_create']));
      const logins = (await t.dataSource.getRepository(AuditEvent).findBy({ actorId: user.id, action: 'auth.sso_login' }))
        .map(detailsOf)
        .sort((a, b) => String(a.account).localeCompare(String(b.account))); // no ORDER BY: MariaDB returns them by UUID
      expect(logins).toEqual([
        expect.objectContaining({ connection: c.slug, subject: sub, account: 'created' }),
        expect.objectContaining({ connection: c.slug, subject: sub, account: 'matched' }),
      ]);
    });

    it('records the upstream amr and idp on the session; upstream mfa counts only where the connection says so', async () => {
      const plain = await realm();
      const trusted = await realm({ upstreamMfa: true });
      const amrOf = async (slug: string) => {
        const { jar } = await ssoSignIn(t, slug);
        const me = await t.http.get('/me', { cookie: sessionCookie(t, jar)! });
        return t.dataSource.getRepository(Session).findOneByOrFail({ id: me.body.credential.id });
      };
      await idp.signInAs(`amr-${plain.slug}`, { email: `amr@${plain.domain}`, email_verified: true }, ['pwd', 'mfa']);
      const s1 = await amrOf(plain.slug);
      await idp.signInAs(`amr-${trusted.slug}`, { email: `amr@${trusted.domain}`, email_verified: true }, ['pwd', 'mfa']);
      const s2 = await amrOf(trusted.slug);
      expect(s1.amr).toEqual(['pwd']);
      expect(s2.amr).toEqual(['pwd', 'mfa']);
      expect(s2.idp).toBe(idp.issuer);
      const [login] = (await t.dataSource.getRepository(AuditEvent).findBy({ actorId: s1.userId, action: 'auth.sso_login' })).map(
        detailsOf,
      );
      expect(login.amr).toEqual(['pwd', 'mfa']);
    });

    it('matches by iss + sub, never by email: an upstream email change updates the stored email, keeps the account, never re-links, and is audited', async () => {
      const c = await realm({ trustEmail: true });
      const sub = `sub-${c.slug}`;
      await idp.signInAs(sub, { email: `old@${c.domain}`, email_verified: true });
      await ssoSignIn(t, c.slug);
      const user = await users().findOneByOrFail({ email: `old@${c.domain}` });
      // The new address belongs to another account, and the connection trusts verified email:
      // still the same account (the identity is iss + sub), and the other account gets nothing.
      const other = await createUser(t, { email: `new@${c.domain}` });
      await idp.signInAs(sub, { email: `new@${c.domain}`, email_verified: true });
      const { jar } = await ssoSignIn(t, c.slug);
      expect((await t.http.get('/me', { cookie: sessionCookie(t, jar)! })).body.sub).toBe(user.id);
      const identity = await identities().findOneByOrFail({ userId: user.id });
      expect(identity.email).toBe(`new@${c.domain}`); // the email at the last sign-in
      expect(identity.subject).toBe(sub);
      expect((await users().findOneByOrFail({ id: user.id })).email).toBe(`old@${c.domain}`); // the account's own email stays
      expect(await identities().countBy({ userId: other.user.id })).toBe(0);
      const [changed] = await auditForTarget(t, user.id, 'sso.email_changed');
      expect(detailsOf(changed)).toMatchObject({ connection: c.slug, subject: sub, before: `old@${c.domain}`, after: `new@${c.domain}` });

      // A new address outside the connection's domains is refused, even for a known identity.
      await idp.signInAs(sub, { email: 'moved@elsewhere.example', email_verified: true });
      const moved = await ssoSignIn(t, c.slug);
      expect(last(moved.hops).status).toBe(403);
      expect(sessionCookie(t, moved.jar)).toBeUndefined();
      expect((await identities().findOneByOrFail({ userId: user.id })).email).toBe(`new@${c.domain}`);
      expect((await refusals(c.slug)).map((r) => r.reason)).toEqual(['email_domain_not_allowed']);
    });

    it('does not link to an existing local account when email_verified is false, nor when the connection does not trust email', async () => {
      const trusting = await realm({ trustEmail: true });
      const local = await createUser(t, { email: `grace@${trusting.domain}` });
      await idp.signInAs(`unverified-${trusting.slug}`, { email: local.email, email_verified: false });
      const { jar, hops } = await ssoSignIn(t, trusting.slug);
      expect(last(hops).status).toBe(409);
      expect(last(hops).text).toContain('Sign in with its password, then link Example Corp from your account page');
      expect(sessionCookie(t, jar)).toBeUndefined();

      const distrusting = await realm();
      const other = await createUser(t, { email: `hopper@${distrusting.domain}` });
      await idp.signInAs(`verified-${distrusting.slug}`, { email: other.email, email_verified: true });
      const second = await ssoSignIn(t, distrusting.slug);
      expect(last(second.hops).status).toBe(409);
      expect(await identities().countBy({ userId: local.user.id })).toBe(0);
      expect(await identities().countBy({ userId: other.user.id })).toBe(0);
      expect((await refusals(trusting.slug))[0]).toMatchObject({ reason: 'account_exists', detail: 'email_not_verified' });
      expect((await refusals(distrusting.slug))[0]).toMatchObject({ reason: 'account_exists', detail: 'email_not_trusted' });
    });

    it('links to the existing account when the connection trusts email and the IdP says email_verified: true', async () => {
      const c = await realm({ trustEmail: true });
      const local = await createUser(t, { email: `linus@${c.domain}` });
      await idp.signInAs(`linked-${c.slug}`, { email: local.email, email_verified: true });
      const { jar } = await ssoSignIn(t, c.slug);
      expect((await t.http.get('/me', { cookie: sessionCookie(t, jar)! })).body.sub).toBe(local.user.id);
      expect(await identities().countBy({ userId: local.user.id })).toBe(1);
      expect(detailsOf((await auditForTarget(t, local.user.id, 'sso.identity_link'))[0])).toMatchObject({ by: 'trusted_email' });
      // The local password still works: linking does not take it away.
      expect((await t.http.post('/auth/login', { json: { email: local.email, password: TEST_PASSWORD }, origin: t.baseUrl })).status).toBe(
        200,
      );
    });

    it("refuses an email outside the connection's domains", async () => {
      const c = await realm();
      await idp.signInAs(`outsider-${c.slug}`, { email: 'mallory@elsewhere.example', email_verified: true });
      const { jar, hops } = await ssoSignIn(t, c.slug);
      expect(last(hops).status).toBe(403);
      expect(last(hops).text).toContain('elsewhere.example accounts cannot sign in with Example Corp');
      expect(last(hops).text).toContain('data-testid="sso-error"');
      expect(sessionCookie(t, jar)).toBeUndefined();
      expect(await users().countBy({ email: 'mallory@elsewhere.example' })).toBe(0);
      expect(await refusals(c.slug)).toEqual([
        expect.objectContaining({ reason: 'email_domain_not_allowed', detail: 'elsewhere.example' }),
      ]);
    });
  });

  describe('home-realm discovery and "require SSO"', () => {
    it('routes an email by its domain, with the same answer whether or not an account exists', async () => {
      const c = await realm();
      await createUser(t, { email: `exists@${c.domain}` });
      const ask = (email: string) => t.http.post('/auth/sso/discover', { json: { email }, origin: t.baseUrl });
      const known = await ask(`exists@${c.domain}`);
      const unknown = await ask(`nobody@${c.domain}`);
      expect(known.status).toBe(200);
      expect(known.body.signInUrl).toMatch(new RegExp(`^/auth/sso/${c.slug}/start\\?`));
      expect(unknown.text.replace('nobody', 'exists')).toBe(known.text);
      expect((await ask('someone@no-sso.example')).body).toEqual({ signInUrl: null });

      // The form: 303 to the IdP's start, with the email as login_hint; then the flow works.
      await idp.signInAs(`routed-${c.slug}`, { email: `routed@${c.domain}`, email_verified: true });
      const form = await t.http.post('/auth/sso/discover', {
        form: { email: `routed@${c.domain}`, next: '/account/sessions' },
        origin: t.baseUrl,
      });
      // A page that moves on by itself (a form's 303 to the IdP would break CSP form-action 'self').
      expect(form.status).toBe(200);
      expect(form.text).toContain('http-equiv="refresh"');
      const jar = new CookieJar();
      const hops = await browse(jar, new URL(continueUrl(form.text), t.baseUrl).toString());
      expect(hops[1].url).toContain(`login_hint=routed%40${c.domain}`);
      expect(last(hops).url).toBe(`${t.baseUrl}/account/sessions`);
      expect(sessionCookie(t, jar)).toBeDefined();
      const none = await t.http.post('/auth/sso/discover', { form: { email: 'x@no-sso.example' }, origin: t.baseUrl });
      expect(none.status).toBe(303);
      expect(none.headers.get('location')).toMatch(/^\/login/);
    });

    it('refuses password sign-in and password reset for a domain that requires SSO, even with the right password', async () => {
      const { slug, domain } = uniqueRealm();
      await createConnection(t, admin, idp, { slug, requiredDomains: [domain] });
      const local = await createUser(t, { email: `pat@${domain}` });
      const json = await t.http.post('/auth/login', { json: { email: local.email, password: TEST_PASSWORD }, origin: t.baseUrl });
      expect(json.status).toBe(403);
      expect(json.body).toMatchObject({ error: 'sso_required', signInUrl: expect.stringContaining(`/auth/sso/${slug}/start`) });
      const form = await t.http.post('/auth/login', {
        form: { email: local.email.toUpperCase(), password: TEST_PASSWORD },
        origin: t.baseUrl,
      });
      expect(form.status).toBe(403);
      expect(form.text).toContain(`sign in with Example Corp: passwords are not used for this address`);
      expect(form.text).toContain(`/auth/sso/${slug}/start`);
      // The same for an address with no account (the domain decides).
      expect(
        (await t.http.post('/auth/login', { json: { email: `ghost@${domain}`, password: 'whatever-password' }, origin: t.baseUrl })).status,
      ).toBe(403);
      const reset = await t.http.post('/password-reset/request', { json: { email: local.email }, origin: t.baseUrl });
      expect(reset.status).toBe(403);
      expect(reset.body.error).toBe('sso_required');
      const resetForm = await t.http.post('/password-reset/request', { form: { email: local.email }, origin: t.baseUrl });
      expect(resetForm.status).toBe(403);
      expect(resetForm.text).toContain('passwords are not used for this address');
      const denied = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.login', outcome: 'denied' });
      expect(denied.map(detailsOf)).toContainEqual(expect.objectContaining({ email: local.email, reason: 'sso_required' }));
    });
  });

  describe('refusals: a readable page, an audit event, never a session', () => {
    /** Starts a sign-in and stops before the callback is requested. */
    async function toCallback(slug: string) {
      const jar = new CookieJar();
      const hops = await browse(jar, `${t.baseUrl}/auth/sso/${slug}/start`, { stopAt: /\/callback\?/ });
      return { jar, callback: new URL(last(hops).url) };
    }
    const get = (jar: CookieJar, url: URL | string) => browse(jar, url.toString()).then((h) => h[0]);

    it('refuses a tampered, missing, foreign or replayed state', async () => {
      const c = await realm();
      await idp.signInAs(`state-${c.slug}`, { email: `state@${c.domain}`, email_verified: true });

      const a = await toCallback(c.slug);
      const tampered = new URL(a.callback);
      tampered.searchParams.set('state', `${a.callback.searchParams.get('state')}x`);
      const r1 = await get(a.jar, tampered);
      expect(r1.status).toBe(400);
      expect(r1.text).toContain('does not belong to this browser');

      const b = await toCallback(c.slug);
      const r2 = await get(new CookieJar(), b.callback); // no state cookie: another browser
      expect(r2.status).toBe(400);
      expect(r2.text).toContain('expired or was started in another browser');

      const cName = t.get<SsoStateCookie>(SsoStateCookie).name;
      const c1 = await toCallback(c.slug);
      const c2 = await toCallback(c.slug);
      const crossed = new CookieJar();
      crossed.set(t.baseUrl, cName, c2.jar.get(t.baseUrl, cName)!);
      expect((await get(crossed, c1.callback)).status).toBe(400); // browser 2's state with browser 1's response

      const altered = new CookieJar();
      altered.set(t.baseUrl, cName, `${c2.jar.get(t.baseUrl, cName)!.slice(0, -2)}AA`);
      expect((await get(altered, c2.callback)).status).toBe(400);

      const d = await toCallback(c.slug);
      const saved = d.jar.get(t.baseUrl, cName)!;
      const first = await get(d.jar, d.callback);
      expect(first.status).toBe(303);
      const replay = new CookieJar();
      replay.set(t.baseUrl, cName, saved); // the same cookie and the same response, again
      const second = await get(replay, d.callback);
      expect(second.status).toBe(400);
      expect(second.text).toContain('already used');
      expect(sessionCookie(t, replay)).toBeUndefined();

      const reasons = (await refusals(c.slug)).map((r) => r.reason);
      expect(reasons).toEqual(expect.arrayContaining(['state_mismatch', 'state_missing', 'state_replayed']));
    });

    it('refuses a 10 KB code, a nonce mismatch and an id_token signed by an unknown key', async () => {
      const c = await realm();
      await idp.signInAs(`checks-${c.slug}`, { email: `checks@${c.domain}`, email_verified: true });
      const a = await toCallback(c.slug);
      a.callback.searchParams.set('code', 'A'.repeat(10 * 1024));
      const long = await get(a.jar, a.callback);
      expect(long.status).toBe(400);
      expect(sessionCookie(t, a.jar)).toBeUndefined();
      expect(await refusals(c.slug)).toEqual([expect.objectContaining({ reason: 'bad_callback', detail: 'code_too_long' })]);

      await idp.send({ fault: { path: '/auth', kind: 'wrong-nonce' } });
      const b = await toCallback(c.slug);
      await idp.send({ clear: true });
      const nonce = await get(b.jar, b.callback);
      expect(nonce.status).toBe(400);
      expect(nonce.text).toContain('did not pass its security checks');

      await idp.send({ fault: { path: '/jwks', kind: 'other-keys' } });
      const k = await realm(); // a fresh connection: its JWKS is fetched now, and holds only a stranger's key
      await idp.signInAs(`keys-${k.slug}`, { email: `keys@${k.domain}`, email_verified: true });
      const d = await toCallback(k.slug);
      const keys = await get(d.jar, d.callback);
      await idp.send({ clear: true });
      expect(keys.status).toBe(400);
      for (const r of [long, nonce, keys]) expect(r.text).toContain('data-testid="sso-error"');
      expect((await refusals(c.slug)).map((r) => r.reason)).toEqual(expect.arrayContaining(['bad_callback', 'invalid_response']));
      expect((await refusals(k.slug)).map((r) => r.reason)).toEqual(['invalid_response']);
    });

    it('refuses an id_token from another issuer, and one signed by a key the IdP never published', async () => {
      const c = await realm();
      await idp.signInAs(`forged-${c.slug}`, { email: `forged@${c.domain}`, email_verified: true });
      const results = [];
      for (const kind of ['id-token-issuer', 'id-token-key']) {
        const a = await toCallback(c.slug);
        await idp.send({ fault: { path: '/token', kind } });
        const r = await get(a.jar, a.callback);
        await idp.send({ clear: true });
        results.push(r);
        expect(r.status).toBe(400);
        expect(r.text).toContain('data-testid="sso-error"');
        expect(r.text).toContain('did not pass its security checks');
        expect(sessionCookie(t, a.jar)).toBeUndefined();
      }
      expect(await users().countBy({ email: `forged@${c.domain}` })).toBe(0);
      const denied = await refusals(c.slug);
      expect(denied.map((r) => r.reason)).toEqual(['invalid_response', 'invalid_response']);
      // openid-client's own codes: the iss comparison, then no key of the JWKS for that kid.
      expect(denied.map((r) => r.detail)).toEqual(expect.arrayContaining(['OAUTH_JWT_CLAIM_COMPARISON_FAILED']));
      // The same IdP, unaltered, still works: nothing was left half-done.
      const ok = await ssoSignIn(t, c.slug);
      expect(last(ok.hops).url).toBe(`${t.baseUrl}/account`);
    });

    it('bounds every request to a slow IdP by SSO_HTTP_TIMEOUT_SECONDS: discovery (saving and signing in), JWKS, token', async () => {
      const timed = async <T>(f: () => Promise<T>) => {
        const began = Date.now();
        const value = await f();
        return { value, took: Date.now() - began };
      };
      const { slug } = uniqueRealm();
      await idp.send({ fault: { path: '/.well-known/openid-configuration', kind: 'slow' } });
      const saving = await timed(() =>
        t.http.post('/admin/sso/connections', {
          cookie: admin.cookie,
          json: { slug, name: 'Slow', issuer: idp.issuer, clientId: IDP_CLIENT_ID, clientSecret: IDP_CLIENT_SECRET },
        }),
      );
      await idp.send({ clear: true });
      expect(saving.value.status).toBe(400);
      expect(saving.value.body.message).toContain('did not answer in time');
      expect(saving.took).toBeLessThan(4000); // the IdP waits 5 s; the bound is 1 s

      const c = await realm();
      await idp.signInAs(`slow-${c.slug}`, { email: `slow@${c.domain}`, email_verified: true });
      // A fresh connection: its keys are fetched at its first callback.
      await idp.send({ fault: { path: '/jwks', kind: 'slow' } });
      const jwks = await timed(async () => last((await ssoSignIn(t, c.slug)).hops));
      await idp.send({ clear: true });
      // The connection changed: its discovery document is fetched again at the next start.
      await t.http.patch(`/admin/sso/connections/${c.id}`, { cookie: admin.cookie, json: { name: 'Example Corp 3' } });
      await idp.send({ fault: { path: '/.well-known/openid-configuration', kind: 'slow' } });
      const discovery = await timed(async () => last((await ssoSignIn(t, c.slug)).hops));
      await idp.send({ clear: true });
      for (const r of [jwks, discovery]) {
        expect(r.value.status).toBe(504);
        expect(r.value.text).toContain('did not answer in time');
        expect(r.took).toBeLessThan(4000);
      }
      expect(await users().countBy({ email: `slow@${c.domain}` })).toBe(0);
      expect((await refusals(c.slug)).map((r) => r.reason)).toEqual(['idp_timeout', 'idp_timeout']);
    });

    it('shows upstream errors as pages: access_denied, a 500 from the IdP, a slow IdP (bounded), an unreachable IdP, garbage discovery', async () => {
      const c = await realm();
      await idp.signInAs(`errors-${c.slug}`, { email: `errors@${c.domain}`, email_verified: true });
      await idp.send({ deny: true });
      const denied = last((await ssoSignIn(t, c.slug)).hops);
      await idp.send({ deny: false });
      expect(denied.status).toBe(403);
      expect(denied.text).toContain('cancelled or refused at your identity provider');

      await idp.send({ fault: { path: '/token', kind: '500' } });
      const failed = last((await ssoSignIn(t, c.slug)).hops);
      await idp.send({ fault: { path: '/token', kind: 'slow' } });
      const began = Date.now();
      const slow = last((await ssoSignIn(t, c.slug)).hops);
      const took = Date.now() - began;
      await idp.send({ clear: true });
      expect(failed.status).toBe(502);
      expect(slow.status).toBe(504);
      expect(took).toBeLessThan(4000); // the IdP waits 5 s; the bound is 1 s
      expect(slow.text).toContain('did not answer in time');

      // Garbage discovery at sign-in: the connection changed, so its metadata is fetched again.
      await t.http.patch(`/admin/sso/connections/${c.id}`, { cookie: admin.cookie, json: { name: 'Example Corp 2' } });
      await idp.send({ fault: { path: '/.well-known/openid-configuration', kind: 'garbage' } });
      const garbage = last((await ssoSignIn(t, c.slug)).hops);
      await idp.send({ clear: true });
      expect(garbage.status).toBe(502);

      const gone = await startUpstreamIdp(t.baseUrl);
      const g = uniqueRealm();
      await createConnection(t, admin, gone, { slug: g.slug });
      await gone.close();
      const unreachable = last((await ssoSignIn(t, g.slug)).hops);
      expect(unreachable.status).toBe(502);
      expect(unreachable.text).toContain('cannot be reached');
      for (const r of [denied, failed, slow, garbage, unreachable]) expect(r.text).toContain('data-testid="sso-error"');
      expect((await refusals(c.slug)).map((r) => r.reason)).toEqual(
        expect.arrayContaining(['upstream_error', 'idp_bad_response', 'idp_timeout']),
      );
    });

    it('refuses a disabled connection at start and at the callback, and a disabled user', async () => {
      const c = await realm();
      await idp.signInAs(`dis-${c.slug}`, { email: `dis@${c.domain}`, email_verified: true });
      const { jar } = await ssoSignIn(t, c.slug);
      const user = await users().findOneByOrFail({ email: `dis@${c.domain}` });
      const a = await toCallback(c.slug);

      const disabled = await t.http.post(`/admin/sso/connections/${c.id}/disable`, { cookie: admin.cookie, json: { endSessions: true } });
      expect(disabled.status).toBe(200);
      expect(disabled.body.enabled).toBe(false);
      expect((await t.http.get('/me', { cookie: sessionCookie(t, jar)! })).status).toBe(401); // its sessions ended
      const atCallback = await get(a.jar, a.callback);
      expect(atCallback.status).toBe(403);
      const atStart = await get(new CookieJar(), `${t.baseUrl}/auth/sso/${c.slug}/start`);
      expect(atStart.status).toBe(403);
      expect(atStart.text).toContain('turned off');
      expect((await t.http.get('/login', { headers: { accept: 'text/html' } })).text).not.toContain(`/auth/sso/${c.slug}/start`);

      expect((await t.http.post(`/admin/sso/connections/${c.id}/enable`, { cookie: admin.cookie })).status).toBe(200);
      expect((await t.http.post(`/admin/users/${user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
      const { jar: j2, hops } = await ssoSignIn(t, c.slug);
      expect(last(hops).status).toBe(403);
      expect(last(hops).text).toContain('This account is disabled');
      expect(sessionCookie(t, j2)).toBeUndefined();
      expect((await refusals(c.slug)).map((r) => r.reason)).toEqual(expect.arrayContaining(['connection_disabled', 'user_disabled']));
    });
  });

  describe('linking from the account page (step-up: the local password, then the IdP)', () => {
    /** A locally signed-in browser: the session cookie of a password sign-in in a jar. */
    async function localBrowser(email: string) {
      const jar = new CookieJar();
      const [name, value] = (await signIn(t, email)).split(/=(.*)/s);
      jar.set(t.baseUrl, name, value);
      const cookie = () => jar.header(t.baseUrl);
      const page = await t.http.get('/account/sso', { cookie: cookie(), headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      return { jar, cookie, page, csrf: csrfFromPage(page.text) };
    }
    const link = (b: Awaited<ReturnType<typeof localBrowser>>, form: Record<string, string>) =>
      t.http.post('/account/sso/link', { cookie: b.cookie(), form: { _csrf: b.csrf, ...form }, headers: { accept: 'text/html' } });

    it('links an IdP to a local account after the password; the next sign-in through it lands on that account', async () => {
      const c = await realm(); // does not trust email: the account page is the only way to link
      const local = await createUser(t, { email: `kim@${c.domain}` });
      const sub = `link-${c.slug}`;
      await idp.signInAs(sub, { email: local.email, email_verified: true });
      const before = await ssoSignIn(t, c.slug);
      expect(last(before.hops).status).toBe(409); // told to sign in locally and link

      const b = await localBrowser(local.email);
      expect(b.page.text).toContain(`<option value="${c.slug}">Example Corp</option>`);
      const wrong = await link(b, { slug: c.slug, password: 'not the password' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('The password is not right.');
      expect(cookiePair(wrong.setCookies, t.get<SsoStateCookie>(SsoStateCookie).name)).toBeUndefined(); // no sign-in started

      const right = await link(b, { slug: c.slug, password: TEST_PASSWORD });
      expect(right.status).toBe(200);
      b.jar.store(t.baseUrl, right.setCookies);
      const hops = await browse(b.jar, new URL(continueUrl(right.text), t.baseUrl).toString());
      expect(last(hops).url).toBe(`${t.baseUrl}/account/sso`);
      expect(last(hops).text).toContain('Example Corp is linked to your account.');
      expect(last(hops).text).toContain(`Example Corp — ${local.email}`);
      expect(await identities().findOneByOrFail({ userId: local.user.id })).toMatchObject({ subject: sub, issuer: idp.issuer });
      expect((await t.http.get('/me', { cookie: b.cookie() })).body.sub).toBe(local.user.id);

      const after = await ssoSignIn(t, c.slug); // another browser, through the button
      expect(last(after.hops).url).toBe(`${t.baseUrl}/account`);
      expect((await t.http.get('/me', { cookie: sessionCookie(t, after.jar)! })).body.sub).toBe(local.user.id);

      const events = await auditForTarget(t, local.user.id, 'sso.identity_link');
      expect(events.map(detailsOf)).toEqual([expect.objectContaining({ connection: c.slug, subject: sub, by: 'user' })]);
      const denied = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ actorId: local.user.id, action: 'sso.identity_link', outcome: 'denied' });
      expect(denied.map(detailsOf)).toEqual([expect.objectContaining({ connection: c.slug, reason: 'wrong_password' })]);
    });

    it("refuses to link an IdP account that is already another person's, without the CSRF token, or for an account with no password", async () => {
      const c = await realm();
      const sub = `taken-${c.slug}`;
      await idp.signInAs(sub, { email: `owner@${c.domain}`, email_verified: true });
      await ssoSignIn(t, c.slug); // owner@ gets the identity just in time
      const owner = await users().findOneByOrFail({ email: `owner@${c.domain}` });

      const local = await createUser(t, { email: `taker@${c.domain}` });
      const b = await localBrowser(local.email);
      const noCsrf = await t.http.post('/account/sso/link', {
        cookie: b.cookie(),
        form: { slug: c.slug, password: TEST_PASSWORD },
        headers: { accept: 'text/html' },
      });
      expect(noCsrf.status).toBe(403);
      const right = await link(b, { slug: c.slug, password: TEST_PASSWORD });
      b.jar.store(t.baseUrl, right.setCookies);
      const hops = await browse(b.jar, new URL(continueUrl(right.text), t.baseUrl).toString());
      expect(last(hops).status).toBe(409);
      expect(last(hops).text).toContain('already linked to another account');
      expect(await identities().countBy({ userId: local.user.id })).toBe(0);
      expect(await identities().countBy({ userId: owner.id })).toBe(1);
      expect((await refusals(c.slug)).map((r) => r.reason)).toEqual(['identity_taken']);

      // The just-in-time account has no password: no form, and a forged post is refused.
      const { jar } = await ssoSignIn(t, c.slug);
      const sso = sessionCookie(t, jar)!;
      const page = await t.http.get('/account/sso', { cookie: sso, headers: { accept: 'text/html' } });
      expect(page.text).not.toContain('action="/account/sso/link"');
      const forged = await t.http.post('/account/sso/link', {
        cookie: sso,
        form: { _csrf: csrfFromPage(page.text), slug: c.slug, password: 'a guessed password' },
        headers: { accept: 'text/html' },
      });
      expect(forged.status).toBe(400);
    });
  });

  it("lets an admin see and unlink a user's external identities; the next sign-in is a first one again", async () => {
    const c = await realm({ trustEmail: true });
    await idp.signInAs(`unlink-${c.slug}`, { email: `unlink@${c.domain}`, email_verified: true });
    await ssoSignIn(t, c.slug);
    const user = await users().findOneByOrFail({ email: `unlink@${c.domain}` });
    const list = await t.http.get(`/admin/users/${user.id}/identities`, { cookie: admin.cookie });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ connectionSlug: c.slug, subject: `unlink-${c.slug}`, issuer: idp.issuer })]);
    const gone = await t.http.delete(`/admin/users/${user.id}/identities/${list.body.items[0].id}`, { cookie: admin.cookie });
    expect(gone.status).toBe(204);
    expect((await t.http.delete(`/admin/users/${user.id}/identities/${list.body.items[0].id}`, { cookie: admin.cookie })).status).toBe(404);
    expect(detailsOf((await auditForTarget(t, user.id, 'admin.user.unlink_identity'))[0])).toMatchObject({ subject: `unlink-${c.slug}` });
  });

  it('never writes the client secret into the audit log', async () => {
    const rows = await t.dataSource.getRepository(AuditEvent).find();
    expect(JSON.stringify(rows)).not.toContain(IDP_CLIENT_SECRET);
  });
});
