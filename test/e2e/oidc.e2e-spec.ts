import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { SessionCookieService } from '../../src/sessions/session-cookie.service';
import { Session } from '../../src/sessions/session.entity';
import {
  authorizeUrl,
  codeRequest,
  consentFields,
  decide,
  exchangeCode,
  obtainCode,
  redirectParams,
  refresh,
  registerClient,
  type TestClient,
} from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser, signIn, type TestUser } from './support/users.fixture';

const OIDC_SCOPES = ['openid', 'profile', 'email', 'read:device'];

/** Core §3.1.3.6: base64url of the left half of SHA-256 of the access token, computed here independently. */
const atHash = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

describe('OpenID Connect provider (Core 1.0, Discovery 1.0)', () => {
  let t: TestApp;
  let issuer: string;
  let client: TestClient;
  let user: TestUser & { cookie: string };

  beforeAll(async () => {
    t = await startTestApp({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' });
    issuer = t.get<AppConfig>(APP_CONFIG).issuer;
    const owner = await signedInUser(t);
    client = await registerClient(t, owner.user, { scopes: OIDC_SCOPES, name: 'Sign-in app' });
    user = await signedInUser(t);
  });
  afterAll(() => t.close());

  const jwks = async () => createLocalJWKSet((await t.http.get('/.well-known/jwks.json')).body);

  async function verifyIdToken(idToken: string, audience = client.clientId): Promise<JWTPayload> {
    const { payload, protectedHeader } = await jwtVerify(idToken, await jwks(), { issuer, audience, algorithms: ['ES256', 'RS256'] });
    expect(protectedHeader.alg).toBe('ES256');
    return payload;
  }

  /** Authorize with `openid` (and approve), then redeem: the token response. */
  async function signInWithOidc(overrides: Record<string, string | undefined> = {}, cookie = user.cookie) {
    const { params, pkce } = codeRequest(client, { scope: 'openid profile email read:device', ...overrides });
    const code = await obtainCode(t, cookie, params);
    const res = await exchangeCode(t, client, code, pkce.verifier);
    expect(res.status).toBe(200);
    return res.body as { access_token: string; refresh_token: string; id_token?: string; scope: string };
  }

  describe('Core §3.1.2.1: the authorization endpoint accepts POST as well as GET', () => {
    it('a form POST is answered with a 303 to the same GET, which signs in as the GET does (code, then id_token)', async () => {
      const { params, pkce } = codeRequest(client, { scope: 'openid profile email read:device', nonce: 'n-post' });
      const form = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
      // A cross-site form POST: no cookie reaches it (SameSite), so the POST itself holds no session.
      const posted = await t.http.post('/oauth/authorize', { form, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(posted.status).toBe(303);
      const location = posted.headers.get('location')!;
      expect(location.startsWith('/oauth/authorize?')).toBe(true);
      expect(Object.fromEntries(new URL(location, t.baseUrl).searchParams)).toEqual(form);
      const consent = await t.http.get(location, { cookie: user.cookie });
      expect(consent.status).toBe(200);
      const approved = await decide(t, user.cookie, consent.text, 'approve');
      const code = redirectParams(approved).get('code')!;
      const res = await exchangeCode(t, client, code, pkce.verifier);
      expect(res.status).toBe(200);
      expect((await verifyIdToken(res.body.id_token)).nonce).toBe('n-post');
    });

    it('redirect_uri is required with scope openid (an error page, no redirect), though RFC 6749 lets a one-URI client omit it', async () => {
      const without = codeRequest(client, { scope: 'openid', redirect_uri: undefined });
      const res = await t.http.get(authorizeUrl(without.params), { cookie: user.cookie });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.text).toMatch(/redirect_uri is required in an OpenID Connect request/);
      // Plain OAuth (no openid) keeps RFC 6749 §3.1.2.3: the one registered URI is used.
      const plain = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'read:device', redirect_uri: undefined }).params), {
        cookie: user.cookie,
      });
      expect(plain.status).not.toBe(400);
    });

    it('OpenID Connect Core §3.1.2.1: without redirect_uri, a request that is also wrong in other ways is still the error page, never a redirect', async () => {
      // Each of these is a redirectable error (RFC 6749 §4.1.2.1) once the redirect URI is trusted;
      // with scope openid and no redirect_uri it must not be.
      const wrongs: Record<string, string | undefined>[] = [
        { scope: 'openid no-such-scope' },
        { scope: 'openid', code_challenge: undefined, code_challenge_method: undefined },
        { scope: 'openid', response_type: 'token' },
        { scope: 'openid', prompt: 'bogus' },
      ];
      for (const wrong of wrongs) {
        const res = await t.http.get(authorizeUrl(codeRequest(client, { ...wrong, redirect_uri: undefined }).params), {
          cookie: user.cookie,
        });
        expect([wrong, res.status, res.headers.get('location')]).toEqual([wrong, 400, null]);
        expect(res.text).toMatch(/redirect_uri is required in an OpenID Connect request/);
      }
      // A repeated scope naming openid is an OpenID Connect request too: the page, not a redirect.
      const once = authorizeUrl(codeRequest(client, { redirect_uri: undefined, scope: 'openid' }).params);
      const twice = await t.http.get(`${once}&scope=profile`, { cookie: user.cookie });
      expect(twice.status).toBe(400);
      expect(twice.headers.get('location')).toBeNull();
    });

    it('a POST whose body is not a form of single values is the error page (400), never a redirect', async () => {
      const { params } = codeRequest(client, { scope: 'openid' });
      const twice = await t.http.post('/oauth/authorize', { form: { client_id: [client.clientId, 'other'], state: params.state! } });
      expect(twice.status).toBe(400);
      expect(twice.headers.get('location')).toBeNull();
      expect(twice.text).toMatch(/client_id must be given once/);
      const json = await t.http.post('/oauth/authorize', { body: '[1,2]', headers: { 'content-type': 'application/json' } });
      expect(json.status).toBe(400);
      expect(json.headers.get('location')).toBeNull();
    });
  });

  describe('Discovery 1.0 §4', () => {
    it('serves /.well-known/openid-configuration consistent with the RFC 8414 document, cacheable', async () => {
      const res = await t.http.get('/.well-known/openid-configuration');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const oauth = (await t.http.get('/.well-known/oauth-authorization-server')).body;
      const doc = res.body;
      for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'token_endpoint_auth_methods_supported']) {
        expect(doc[key]).toEqual(oauth[key]);
      }
      expect(doc.issuer).toBe(issuer);
      expect(doc.userinfo_endpoint).toBe(`${issuer}/oauth/userinfo`);
      expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
      expect(doc.response_types_supported).toEqual(['code']);
      expect(doc.subject_types_supported).toEqual(['public']);
      expect(doc.id_token_signing_alg_values_supported).toEqual(['ES256', 'RS256']);
      expect(doc.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'name', 'auth_time', 'nonce']));
      expect(doc.code_challenge_methods_supported).toEqual(['S256']);
      expect(doc.registration_endpoint).toBeUndefined();
      expect(doc.request_parameter_supported).toBe(false);
    });
  });

  describe('Core §3.1.3: the id_token of the code flow', () => {
    it('carries iss, sub, aud, azp, exp, iat, auth_time, nonce, at_hash, amr and sid, signed with a JWKS key (§3.1.3.7)', async () => {
      const nonce = randomBytes(16).toString('base64url');
      const tokens = await signInWithOidc({ nonce });
      expect(tokens.id_token).toBeDefined();
      const claims = await verifyIdToken(tokens.id_token!);
      expect(claims.sub).toBe(user.user.id);
      expect(claims.sub).not.toContain('@');
      expect(claims.aud).toBe(client.clientId);
      expect(claims.azp).toBe(client.clientId);
      expect(claims.nonce).toBe(nonce);
      expect(claims.at_hash).toBe(atHash(tokens.access_token));
      expect(claims.amr).toEqual(['pwd']);
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
      expect(typeof claims.auth_time).toBe('number');
      const session = await t.dataSource.getRepository(Session).findOneByOrFail({ id: claims.sid as string });
      expect(session.userId).toBe(user.user.id);
      // Core §5.4: profile and email were requested.
      expect(claims.email).toBe(user.email);
      expect(claims.name).toBe('Test User');
    });

    it('releases profile and email claims only for their scopes (Core §5.4)', async () => {
      const tokens = await signInWithOidc({ scope: 'openid' });
      const claims = await verifyIdToken(tokens.id_token!);
      expect(claims.email).toBeUndefined();
      expect(claims.name).toBeUndefined();
      expect(claims.nonce).toBeUndefined();
    });

    it('issues no id_token without the openid scope (Core §3.1.2.1)', async () => {
      const tokens = await signInWithOidc({ scope: 'read:device', nonce: 'n-1' });
      expect(tokens.id_token).toBeUndefined();
    });

    it('a wrong audience fails the relying party’s check (Core §3.1.3.7 step 3)', async () => {
      const tokens = await signInWithOidc();
      await expect(jwtVerify(tokens.id_token!, await jwks(), { issuer, audience: 'another-client' })).rejects.toThrow(/aud/);
    });

    it('a refresh returns a new id_token with the same sub and auth_time, and no nonce (Core §12.2)', async () => {
      const tokens = await signInWithOidc({ nonce: 'refresh-nonce' });
      const first = decodeJwt(tokens.id_token!);
      const res = await refresh(t, client, tokens.refresh_token);
      expect(res.status).toBe(200);
      expect(res.body.id_token).toBeDefined();
      expect(res.body.id_token).not.toBe(tokens.id_token);
      const again = await verifyIdToken(res.body.id_token);
      expect(again.sub).toBe(first.sub);
      expect(again.auth_time).toBe(first.auth_time);
      expect(again.sid).toBe(first.sid);
      expect(again.nonce).toBeUndefined();
      expect(again.at_hash).toBe(atHash(res.body.access_token));
      // A refresh narrowed to non-openid scopes gets none.
      const narrowed = await refresh(t, client, res.body.refresh_token, 'read:device');
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.id_token).toBeUndefined();
    });
  });

  describe('UserInfo (Core §5.3)', () => {
    it('answers GET and POST with the claims of the token’s scopes, no-store, CORS', async () => {
      const tokens = await signInWithOidc();
      const get = await t.http.get('/oauth/userinfo', { bearer: tokens.access_token, headers: { origin: 'https://spa.example.test' } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBe('*');
      expect(get.headers.get('cache-control')).toBe('no-store');
      expect(get.body).toEqual({
        sub: user.user.id,
        name: 'Test User',
        preferred_username: user.email,
        email: user.email,
        email_verified: false,
      });
      const post = await t.http.post('/oauth/userinfo', { bearer: tokens.access_token, form: {} });
      expect(post.status).toBe(200);
      expect(post.body.sub).toBe(user.user.id);

      const narrow = await signInWithOidc({ scope: 'openid' });
      expect((await t.http.get('/oauth/userinfo', { bearer: narrow.access_token })).body).toEqual({ sub: user.user.id });
    });

    it('Core §5.3.2: the claims are the account as it is now: a name change is seen at once, a deleted account is invalid_token', async () => {
      const admin = await signedInUser(t, { roles: ['admin'] });
      const someone = await signedInUser(t);
      const tokens = await signInWithOidc({}, someone.cookie);
      // Twice: the second answer comes from the warm credential cache.
      for (let i = 0; i < 2; i++)
        expect((await t.http.get('/oauth/userinfo', { bearer: tokens.access_token })).body.name).toBe('Test User');
      expect((await t.http.post('/account/profile', { cookie: someone.cookie, json: { displayName: 'Grace Hopper' } })).status).toBe(204);
      expect((await t.http.get('/oauth/userinfo', { bearer: tokens.access_token })).body).toEqual({
        sub: someone.user.id,
        name: 'Grace Hopper',
        preferred_username: someone.email,
        email: someone.email,
        email_verified: false,
      });
      expect((await t.http.delete(`/admin/users/${someone.user.id}`, { cookie: admin.cookie })).status).toBe(204);
      const gone = await t.http.get('/oauth/userinfo', { bearer: tokens.access_token });
      expect(gone.status).toBe(401);
      expect(gone.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it('is an API route, not a page: a flash cookie sent along is left for the page it was meant for', async () => {
      const tokens = await signInWithOidc();
      const flashCookie = `${t.get<SessionCookieService>(SessionCookieService).name}_flash`;
      const res = await t.http.get('/oauth/userinfo', { bearer: tokens.access_token, cookie: `${flashCookie}=sealed` });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it('answers a CORS preflight (Fetch) without credentials', async () => {
      const res = await t.http.request('OPTIONS', '/oauth/userinfo', {
        headers: {
          origin: 'https://spa.example.test',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    });

    it('refuses a missing or bad token with RFC 6750 §3 challenges, and a token without openid with insufficient_scope', async () => {
      const none = await t.http.get('/oauth/userinfo');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(none.headers.get('access-control-allow-origin')).toBe('*');
      const bad = await t.http.get('/oauth/userinfo', { bearer: 'ghat_garbage' });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      const plain = await signInWithOidc({ scope: 'read:device' });
      const res = await t.http.get('/oauth/userinfo', { bearer: plain.access_token });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
      expect(res.headers.get('www-authenticate')).toMatch(/scope="openid"/);
    });
  });

  describe('Core §3.1.2.1 prompt, max_age, hints; §3.1.2.6 errors', () => {
    it('prompt=none without a session: login_required to the redirect URI with state and iss (RFC 9207)', async () => {
      const { params, state } = codeRequest(client, { scope: 'openid', prompt: 'none' });
      const res = await t.http.get(authorizeUrl(params));
      expect(res.status).toBe(302);
      const q = redirectParams(res);
      expect(res.headers.get('location')!.startsWith(client.redirectUris[0])).toBe(true);
      expect(q.get('error')).toBe('login_required');
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(issuer);
    });

    it('prompt=none with an unknown client or redirect URI: an error page, never a redirect (RFC 6749 §4.1.2.1)', async () => {
      const { params } = codeRequest(client, { scope: 'openid', prompt: 'none', redirect_uri: 'https://evil.example/cb' });
      // Signed out: the sign-in page as for any request (judged after sign-in), never the unverified URI.
      const res = await t.http.get(authorizeUrl(params));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
      const unknown = await t.http.get(authorizeUrl({ ...params, client_id: 'nope', redirect_uri: client.redirectUris[0] }), {
        cookie: user.cookie,
      });
      expect(unknown.status).toBe(400);
    });

    it('prompt=none signed in without consent: consent_required; with consent: a code without any page', async () => {
      const fresh = await signedInUser(t);
      const { params } = codeRequest(client, { scope: 'openid', prompt: 'none' });
      const res = await t.http.get(authorizeUrl(params), { cookie: fresh.cookie });
      expect(redirectParams(res).get('error')).toBe('consent_required');
      await obtainCode(t, fresh.cookie, { ...params, prompt: undefined });
      const again = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'openid', prompt: 'none' }).params), {
        cookie: fresh.cookie,
      });
      expect(again.status).toBe(302);
      expect(redirectParams(again).get('code')).toBeTruthy();
    });

    it('prompt=consent shows the consent page although consent was given', async () => {
      await signInWithOidc();
      const { params } = codeRequest(client, { scope: 'openid profile email read:device', prompt: 'consent' });
      const res = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
      expect(res.status).toBe(200);
      expect(consentFields(res.text).prompt).toBe('consent');
    });

    it('an unknown prompt value, or none with another, is invalid_request (Core §3.1.2.1)', async () => {
      for (const prompt of ['bogus', 'none login']) {
        const res = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'openid', prompt }).params), { cookie: user.cookie });
        expect(redirectParams(res).get('error')).toBe('invalid_request');
      }
    });

    it('prompt=login sends a signed-in user to sign in again; the new sign-in satisfies it and auth_time changes', async () => {
      const u = await signedInUser(t);
      const before = decodeJwt((await signInWithOidc({}, u.cookie)).id_token!);
      await new Promise((r) => setTimeout(r, 1100));
      const { params, pkce } = codeRequest(client, { scope: 'openid profile email read:device', prompt: 'login', login_hint: u.email });
      const res = await t.http.get(authorizeUrl(params), { cookie: u.cookie });
      expect(res.status).toBe(303);
      const login = new URL(res.headers.get('location')!, t.baseUrl);
      expect(login.pathname).toBe('/login');
      const next = login.searchParams.get('next')!;
      expect(next).toContain('gh_reauth=');
      // login_hint pre-fills the email on the sign-in page.
      const page = await t.http.get(`${login.pathname}${login.search}`);
      expect(page.text).toContain(`value="${u.email}"`);
      // Coming back with the same session is not enough; a new sign-in is.
      const same = await t.http.get(next, { cookie: u.cookie });
      expect(same.status).toBe(303);
      const cookie = await signIn(t, u.email);
      const back = await t.http.get(next, { cookie });
      expect(back.status).toBe(302);
      const code = redirectParams(back).get('code')!;
      const tokens = (await exchangeCode(t, client, code, pkce.verifier)).body;
      const after = decodeJwt(tokens.id_token);
      expect(after.auth_time! as number).toBeGreaterThan(before.auth_time as number);
      expect(after.sid).not.toBe(before.sid);
    });

    it('a forged or edited reauthentication marker does not satisfy prompt=login', async () => {
      const { params } = codeRequest(client, { scope: 'openid', prompt: 'login', gh_reauth: '-.AAAA' });
      const res = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
      expect(res.status).toBe(303);
    });

    it('Core §3.1.2.1 prompt=login / max_age: a marker made elsewhere (a signed-out browser, another request) does not stand in for signing in again', async () => {
      const u = await signedInUser(t);
      await new Promise((r) => setTimeout(r, 1100));
      // Anyone gets a genuine marker: prompt=login without a session sends them to sign in with one.
      const anonymous = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'openid', prompt: 'login' }).params));
      const marked = new URL(new URL(anonymous.headers.get('location')!, t.baseUrl).searchParams.get('next')!, t.baseUrl);
      const marker = marked.searchParams.get('gh_reauth')!;
      expect(marker).toBeTruthy();
      for (const extra of [{ prompt: 'login' }, { max_age: '1' }]) {
        const { params } = codeRequest(client, { scope: 'openid', ...extra, gh_reauth: marker });
        const res = await t.http.get(authorizeUrl(params), { cookie: u.cookie });
        expect([extra, res.status, res.headers.get('location')?.startsWith('/login?next=')]).toEqual([extra, 303, true]);
      }
      // Signing in after the marker was made satisfies it: on to the consent page, not to sign-in.
      const fresh = await signIn(t, u.email);
      const { params } = codeRequest(client, { scope: 'openid', prompt: 'login', gh_reauth: marker });
      const res = await t.http.get(authorizeUrl(params), { cookie: fresh });
      expect(res.status).toBe(200);
      expect(res.text).toContain('/oauth/consent');
    });

    it('max_age: an older sign-in must sign in again; a recent one passes (Core §3.1.2.1)', async () => {
      const u = await signedInUser(t);
      await signInWithOidc({}, u.cookie);
      const ok = await t.http.get(
        authorizeUrl(codeRequest(client, { scope: 'openid profile email read:device', max_age: '3600' }).params),
        {
          cookie: u.cookie,
        },
      );
      expect(ok.status).toBe(302);
      await new Promise((r) => setTimeout(r, 1100));
      const stale = await t.http.get(
        authorizeUrl(codeRequest(client, { scope: 'openid profile email read:device', max_age: '1' }).params),
        {
          cookie: u.cookie,
        },
      );
      expect(stale.status).toBe(303);
      expect(stale.headers.get('location')).toMatch(/^\/login\?next=/);
      const none = await t.http.get(
        authorizeUrl(codeRequest(client, { scope: 'openid profile email read:device', max_age: '1', prompt: 'none' }).params),
        { cookie: u.cookie },
      );
      expect(redirectParams(none).get('error')).toBe('login_required');
    });

    it('bad input is a §3.1.2.6 error to the redirect URI, never a 500', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ max_age: '-1' }, 'invalid_request'],
        [{ max_age: 'soon' }, 'invalid_request'],
        [{ max_age: '1e3' }, 'invalid_request'],
        [{ max_age: '9'.repeat(40) }, 'invalid_request'],
        [{ nonce: 'n'.repeat(10_000) }, 'invalid_request'],
        [{ id_token_hint: 'garbage' }, 'invalid_request'],
        [{ id_token_hint: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }, 'invalid_request'],
        [{ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
        [{ request_uri: 'https://rp.example/req' }, 'request_uri_not_supported'],
        [{ registration: '{}' }, 'registration_not_supported'],
        [{ response_mode: 'fragment' }, 'invalid_request'],
      ];
      for (const [extra, error] of cases) {
        const { params, state } = codeRequest(client, { scope: 'openid', ...extra });
        const res = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
        expect([res.status, redirectParams(res).get('error'), redirectParams(res).get('state')]).toEqual([302, error, state]);
        expect(redirectParams(res).get('iss')).toBe(issuer);
      }
      // `claims` (Core §5.5) is not supported and ignored, as §5.5 allows: the request proceeds.
      const claims = await t.http.get(
        authorizeUrl(codeRequest(client, { scope: 'openid profile email read:device', claims: '{"id_token":{"email":null}}' }).params),
        { cookie: user.cookie },
      );
      expect(claims.status).toBe(302);
      expect(redirectParams(claims).get('code')).toBeTruthy();
    });

    it('id_token_hint: an expired hint of this client is accepted, one for another client or user is refused', async () => {
      const mine = (await signInWithOidc()).id_token!;
      const ok = await t.http.get(
        authorizeUrl(codeRequest(client, { scope: 'openid profile email read:device', id_token_hint: mine }).params),
        {
          cookie: user.cookie,
        },
      );
      expect(ok.status).toBe(302);
      expect(redirectParams(ok).get('code')).toBeTruthy();
      // Another user's session with this user's hint: sign in as that user (prompt=none: login_required).
      const other = await signedInUser(t);
      const none = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'openid', id_token_hint: mine, prompt: 'none' }).params), {
        cookie: other.cookie,
      });
      expect(redirectParams(none).get('error')).toBe('login_required');
      // A hint issued to another client.
      const owner = await signedInUser(t);
      const second = await registerClient(t, owner.user, { scopes: OIDC_SCOPES, redirectUris: ['https://second.example.test/cb'] });
      const foreign = await t.http.get(authorizeUrl(codeRequest(second, { scope: 'openid', id_token_hint: mine }).params), {
        cookie: user.cookie,
      });
      expect(redirectParams(foreign).get('error')).toBe('invalid_request');
    });

    it('the consent post carries the OIDC parameters back: the nonce reaches the id_token', async () => {
      const fresh = await signedInUser(t);
      const { params, pkce } = codeRequest(client, { scope: 'openid', nonce: 'via-consent' });
      const page = await t.http.get(authorizeUrl(params), { cookie: fresh.cookie });
      expect(page.status).toBe(200);
      const approved = await decide(t, fresh.cookie, page.text, 'approve');
      const tokens = (await exchangeCode(t, client, redirectParams(approved).get('code')!, pkce.verifier)).body;
      expect(decodeJwt(tokens.id_token).nonce).toBe('via-consent');
    });
  });
});
