import { decodeJwt } from 'jose';
import { ClientsService } from '../../src/clients/clients.service';
import { OidcClientSettingsService } from '../../src/oidc/oidc-client-settings.service';
import { codeRequest, exchangeCode, obtainCode, registerClient, type TestClient } from './support/oauth-flow.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser, signIn, TEST_PASSWORD, type TestUser } from './support/users.fixture';
import { UsersService } from '../../src/users/users.service';
import { awayFromStepEdge, enrolTotp, passwordStep, submitTotp, totpCode } from './support/mfa.fixture';

const SIGNED_OUT = 'https://rp.example.test/signed-out';

/** OpenID Connect RP-Initiated Logout 1.0 at /oauth/logout (the discovery document's end_session_endpoint). */
describe('RP-Initiated Logout 1.0', () => {
  let t: TestApp;
  let client: TestClient;
  let other: TestClient;
  let user: TestUser & { cookie: string };

  beforeAll(async () => {
    t = await startTestApp();
    const owner = await signedInUser(t);
    client = await registerClient(t, owner.user, { scopes: ['openid', 'profile'], name: 'Logout RP' });
    other = await registerClient(t, owner.user, { scopes: ['openid'], name: 'Other RP' });
    const settings = t.get<OidcClientSettingsService>(OidcClientSettingsService);
    await settings.update(client.clientId, { postLogoutRedirectUris: [SIGNED_OUT, 'https://rp.example.test/bye?from=gh'] });
    await settings.update(other.clientId, { postLogoutRedirectUris: ['https://other.example.test/bye'] });
    user = await signedInUser(t);
  });
  afterAll(() => t.close());

  /** A fresh session for `u` and an id_token issued to `c` in it. */
  async function sessionWithIdToken(u: TestUser, c = client): Promise<{ cookie: string; idToken: string }> {
    const cookie = await signIn(t, u.email);
    const { params, pkce } = codeRequest(c, { scope: 'openid' });
    const code = await obtainCode(t, cookie, params);
    const res = await exchangeCode(t, c, code, pkce.verifier);
    expect(res.status).toBe(200);
    return { cookie, idToken: res.body.id_token };
  }

  const logout = (params: Record<string, string>, cookie?: string) =>
    t.http.get(`/oauth/logout?${new URLSearchParams(params)}`, { cookie });
  const isSignedIn = async (cookie: string) => (await t.http.get('/me', { cookie })).status === 200;

  it('Discovery: end_session_endpoint is advertised (RP-Initiated Logout §2.1)', async () => {
    const doc = (await t.http.get('/.well-known/openid-configuration')).body;
    expect(doc.end_session_endpoint).toBe(`${doc.issuer}/oauth/logout`);
  });

  it('§2 with a valid id_token_hint for the session: ends it and redirects to the registered URI with state (§3)', async () => {
    const { cookie, idToken } = await sessionWithIdToken(user);
    expect(await isSignedIn(cookie)).toBe(true);
    const res = await logout({ id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT, state: 'st-1', ui_locales: 'fr en' }, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${SIGNED_OUT}?state=st-1`);
    expect(res.setCookies.join(';')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await isSignedIn(cookie)).toBe(false);
    // A registered URI with its own query keeps it; state is appended.
    const again = await sessionWithIdToken(user);
    const res2 = await logout(
      { id_token_hint: again.idToken, post_logout_redirect_uri: 'https://rp.example.test/bye?from=gh', state: 'a b' },
      again.cookie,
    );
    expect(res2.headers.get('location')).toBe('https://rp.example.test/bye?from=gh&state=a+b');
  });

  it('§2 client_id with the hint: must be the hint’s audience', async () => {
    const { cookie, idToken } = await sessionWithIdToken(user);
    const res = await logout({ id_token_hint: idToken, client_id: other.clientId, post_logout_redirect_uri: SIGNED_OUT }, cookie);
    expect(res.status).toBe(400);
    expect(res.text).toContain('another client');
    // The person reads what happened in plain words; the technical reason is labelled for the developer.
    expect(res.text).toContain('does not match what that application registered');
    expect(res.text).toMatch(/For the application’s developer: <span data-testid="logout-error">[^<]*another client/);
    expect(await isSignedIn(cookie)).toBe(true);
    const ok = await logout({ id_token_hint: idToken, client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT }, cookie);
    expect(ok.status).toBe(303);
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('§2 a missing hint: a confirmation page; confirming ends the session and continues to the app', async () => {
    const cookie = await signIn(t, user.email);
    const page = await logout({ client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT, state: 'st-2' }, cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign out of Gatehouse?');
    expect(page.text).toContain('Logout RP');
    expect(await isSignedIn(cookie)).toBe(true);
    const done = await t.http.post('/oauth/logout/confirm', {
      cookie,
      form: { _csrf: csrfFromPage(page.text), client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT, state: 'st-2' },
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain(`url=${SIGNED_OUT}?state&#x3D;st-2`);
    expect(done.text).not.toContain('nav-user');
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('§2 the confirmation needs the CSRF token; a forged post ends nothing', async () => {
    const cookie = await signIn(t, user.email);
    const res = await t.http.post('/oauth/logout/confirm', { cookie, form: { client_id: client.clientId } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('§2 a hint that does not match the session (another user’s, another session’s): the confirmation page', async () => {
    const someoneElse = await signedInUser(t);
    const foreign = await sessionWithIdToken(someoneElse);
    const cookie = await signIn(t, user.email);
    const page = await logout({ id_token_hint: foreign.idToken, post_logout_redirect_uri: SIGNED_OUT }, cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign out of Gatehouse?');
    expect(await isSignedIn(cookie)).toBe(true);
    // The same user, an older session's id_token: still asked.
    const old = await sessionWithIdToken(user);
    const current = await signIn(t, user.email);
    const asked = await logout({ id_token_hint: old.idToken }, current);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Sign out of Gatehouse?');
    expect(await isSignedIn(current)).toBe(true);
  });

  it('§2 no session: straight back to the registered URI (nothing to end); no URI: the signed-out page', async () => {
    const { idToken } = await sessionWithIdToken(user);
    const res = await logout({ id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT, state: 's' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${SIGNED_OUT}?state=s`);
    const page = await logout({});
    expect(page.status).toBe(200);
    expect(page.text).toContain('You have signed out');
  });

  it('§2–3 a disabled client: the session still ends, but the browser is not sent to its registered URI', async () => {
    const { cookie, idToken } = await sessionWithIdToken(user);
    const clients = t.get<ClientsService>(ClientsService);
    const row = (await clients.findById(client.clientId))!;
    await clients.setStatus(row, 'disabled');
    try {
      const res = await logout({ id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT, state: 'gone' }, cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(res.text).toContain('You have signed out');
      expect(res.text).not.toContain(SIGNED_OUT);
      expect(await isSignedIn(cookie)).toBe(false);
    } finally {
      await clients.setStatus((await clients.findById(client.clientId))!, 'active');
    }
  });

  it('§2 a sign-in waiting for its second factor: the signed-out page ends it (the cookie can no longer finish the sign-in)', async () => {
    const mfaUser = await signedInUser(t);
    const { secret } = await enrolTotp(t, mfaUser.cookie);
    const { cookie } = await passwordStep(t, mfaUser.email);
    const res = await logout({ client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT, state: 'm' }, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${SIGNED_OUT}?state=m`);
    await awayFromStepEdge();
    const second = await submitTotp(t, cookie, await totpCode(secret));
    expect({ status: second.status, error: second.body.error }).toEqual({ status: 401, error: 'sign_in_required' });
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('§2 a session with a temporary password: confirming the sign-out ends it (it was a 403 password_change_required)', async () => {
    const temp = await signedInUser(t);
    await t.get<UsersService>(UsersService).setPassword(temp.user.id, TEST_PASSWORD, { temporary: true });
    const cookie = await signIn(t, temp.email);
    const page = await logout({ client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT, state: 't' }, cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign out of Gatehouse?');
    const confirmed = await t.http.post('/oauth/logout/confirm', {
      cookie,
      form: { _csrf: csrfFromPage(page.text), client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT, state: 't' },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain(`url=${SIGNED_OUT}?state&#x3D;t`);
    expect((await t.http.get('/me', { cookie })).status).toBe(401);
  });

  it('§3 post_logout_redirect_uri must match a registered one exactly: trailing slash, scheme, case, port, another client’s → error page, no redirect', async () => {
    const { cookie, idToken } = await sessionWithIdToken(user);
    const wrong = [
      `${SIGNED_OUT}/`,
      SIGNED_OUT.replace('https:', 'http:'),
      SIGNED_OUT.toUpperCase(),
      'https://rp.example.test:443/signed-out',
      'https://other.example.test/bye',
      'https://evil.example.test/',
    ];
    for (const uri of wrong) {
      const res = await logout({ id_token_hint: idToken, post_logout_redirect_uri: uri }, cookie);
      expect([uri, res.status, res.headers.get('location')]).toEqual([uri, 400, null]);
      expect(res.text).toContain('registered post-logout redirect URIs');
    }
    // Without a client to say who registered it: refused too.
    const anonymous = await logout({ post_logout_redirect_uri: SIGNED_OUT }, cookie);
    expect(anonymous.status).toBe(400);
    expect(anonymous.text).toContain('needs client_id or id_token_hint');
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('§2 bad id_token_hint (garbage, another issuer’s, an access token), unknown client, oversized or repeated parameters: 400 pages, never 500', async () => {
    const { cookie, idToken } = await sessionWithIdToken(user);
    const [h, p] = idToken.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    const cases: Record<string, string>[] = [
      { id_token_hint: 'garbage' },
      { id_token_hint: forged },
      { id_token_hint: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiYXVkIjoieSJ9.' },
      { id_token_hint: 'x'.repeat(10_000) },
      { client_id: 'no-such-client', post_logout_redirect_uri: SIGNED_OUT },
      { state: 's'.repeat(5000) },
    ];
    for (const params of cases) {
      const res = await logout(params, cookie);
      expect([Object.keys(params), res.status]).toEqual([Object.keys(params), 400]);
      expect(res.headers.get('location')).toBeNull();
    }
    const twice = await t.http.get(`/oauth/logout?state=a&state=b`, { cookie });
    expect(twice.status).toBe(400);
    expect(decodeJwt(idToken).sid).toBeDefined();
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('§2 a form POST is answered with a 303 to the same GET', async () => {
    const res = await t.http.post('/oauth/logout', { form: { client_id: client.clientId, state: 'p' } });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!, t.baseUrl);
    expect(location.pathname).toBe('/oauth/logout');
    expect(Object.fromEntries(location.searchParams)).toEqual({ client_id: client.clientId, state: 'p' });
  });
});
