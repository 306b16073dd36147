import { rawQuery } from '../support/shared-database';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken } from '../../src/auth/token-format';
import { ClientsService } from '../../src/clients/clients.service';
import { AuthorizationCode } from '../../src/grants/authorization-code.entity';
import { AuthorizationCodesService } from '../../src/grants/authorization-codes.service';
import {
  authorizeAndApprove,
  authorizeUrl,
  codeRequest,
  consentFields,
  decide,
  exchangeCode,
  obtainCode,
  obtainTokens,
  pkcePair,
  redirectParams,
  refresh,
  registerClient,
  REDIRECT_URI,
  userAndClient,
} from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser, TEST_PASSWORD } from './support/users.fixture';

describe('authorization code flow: /oauth/authorize, consent, code exchange', () => {
  let t: TestApp;
  let issuer: string;

  beforeAll(async () => {
    t = await startTestApp({ TOKEN_RATE_LIMIT_PER_IP: '100000', TOKEN_RATE_LIMIT_PER_CLIENT: '100000' });
    issuer = 'http://127.0.0.1';
  });
  afterAll(() => t.close());

  const auditRows = (action: string) => t.dataSource.getRepository(AuditEvent).findBy({ action });
  const expectNoRedirect = (res: { status: number; headers: Headers }) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  };

  describe('signing in first', () => {
    it('sends an unauthenticated browser to /login and back to the very same authorization request', async () => {
      const { user, client } = await userAndClient(t);
      const { params } = codeRequest(client, { scope: 'read:device write:device' });
      const url = authorizeUrl(params);

      const res = await t.http.get(url);
      expect(res.status).toBe(303);
      const login = new URL(res.headers.get('location')!, t.baseUrl);
      expect(login.pathname).toBe('/login');
      expect(login.searchParams.get('next')).toBe(url);

      const page = await t.http.get(`${login.pathname}${login.search}`);
      const next = /name="next" value="([^"]*)"/
        .exec(page.text)![1]
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=');
      expect(next).toBe(url);
      const signedIn = await t.http.post('/auth/login', { form: { email: user.email, password: TEST_PASSWORD, next }, origin: t.baseUrl });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe(url);
    });
  });

  describe('untrusted client or redirect URI: an error page, never a redirect (RFC 6749 §4.1.2.1)', () => {
    it('RFC 6749 §4.1.2.1: unknown client_id → error page, no redirect', async () => {
      const { user, client } = await userAndClient(t);
      const res = await t.http.get(authorizeUrl({ ...codeRequest(client).params, client_id: 'ghc_doesnotexist' }), { cookie: user.cookie });
      expectNoRedirect(res);
      expect(res.text).toContain('unknown or has been disabled');
    });

    it('RFC 6749 §4.1.2.1: missing client_id → error page, no redirect', async () => {
      const { user, client } = await userAndClient(t);
      const res = await t.http.get(authorizeUrl({ ...codeRequest(client).params, client_id: undefined }), { cookie: user.cookie });
      expectNoRedirect(res);
    });

    it('RFC 6749 §4.1.2.1: disabled client → error page, no redirect', async () => {
      const { user, client } = await userAndClient(t);
      const clients = t.get<ClientsService>(ClientsService);
      await clients.setStatus((await clients.findById(client.clientId))!, 'disabled');
      const res = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: user.cookie });
      expectNoRedirect(res);
    });

    it.each([
      ['a trailing slash', `${REDIRECT_URI}/`],
      ['an extra query', `${REDIRECT_URI}?x=1`],
      ['another host', 'https://evil.example.test/callback'],
      ['another scheme', REDIRECT_URI.replace('https:', 'http:')],
      ['different case', REDIRECT_URI.toUpperCase()],
    ])('RFC 9700 §2.1 / RFC 6749 §3.1.2.3: redirect_uri with %s is not an exact match → error page, no redirect', async (_, uri) => {
      const { user, client } = await userAndClient(t);
      const res = await t.http.get(authorizeUrl(codeRequest(client, { redirect_uri: uri }).params), { cookie: user.cookie });
      expectNoRedirect(res);
      expect(res.text).toContain('not registered');
    });

    it('RFC 6749 §3.1.2.3: omitted redirect_uri means the only registered one', async () => {
      const { user, client } = await userAndClient(t);
      const res = await authorizeAndApprove(t, user.cookie, codeRequest(client, { redirect_uri: undefined }).params);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    });

    it('RFC 6749 §3.1.2.3: omitted redirect_uri with several registered → error page, no redirect', async () => {
      const { user, client } = await userAndClient(t, { redirectUris: [REDIRECT_URI, 'https://app.example.test/other'] });
      const res = await t.http.get(authorizeUrl(codeRequest(client, { redirect_uri: undefined }).params), { cookie: user.cookie });
      expectNoRedirect(res);
    });
  });

  describe('other errors go back to the client with error, state and iss (RFC 6749 §4.1.2.1, RFC 9207 §2)', () => {
    const errorRedirect = async (overrides: Record<string, string | undefined>, clientOpts = {}) => {
      const { user, client } = await userAndClient(t, clientOpts);
      const { params, state } = codeRequest(client, overrides);
      const res = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
      const q = redirectParams(res);
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(issuer);
      expect(q.get('error_description')).toBeTruthy();
      expect(q.get('code')).toBeNull();
      return q.get('error');
    };

    it('RFC 6749 §4.1.2.1: response_type=token → unsupported_response_type', async () => {
      expect(await errorRedirect({ response_type: 'token' })).toBe('unsupported_response_type');
    });

    it('RFC 6749 §4.1.2.1: missing response_type → invalid_request', async () => {
      expect(await errorRedirect({ response_type: undefined })).toBe('invalid_request');
    });

    it('RFC 6749 §4.1.2.1: unknown scope → invalid_scope', async () => {
      expect(await errorRedirect({ scope: 'read:device launch:rockets' })).toBe('invalid_scope');
    });

    it('RFC 6749 §4.1.2.1: a scope the client is not allowed → invalid_scope', async () => {
      expect(await errorRedirect({ scope: 'write:device' }, { scopes: ['read:device'] })).toBe('invalid_scope');
    });

    it('RFC 6749 §4.1.2.1: a client not allowed the code grant → unauthorized_client', async () => {
      expect(await errorRedirect({}, { type: 'confidential', grantTypes: ['client_credentials'] })).toBe('unauthorized_client');
    });

    it('RFC 6749 §3.1: a repeated parameter → invalid_request', async () => {
      const { user, client } = await userAndClient(t);
      const { params, state } = codeRequest(client);
      const res = await t.http.get(`${authorizeUrl(params)}&scope=write:device`, { cookie: user.cookie });
      expect(res.status).toBe(302);
      const q = redirectParams(res);
      expect(q.get('error')).toBe('invalid_request');
      expect(q.get('state')).toBe(state);
    });

    it('RFC 7636 §4.4.1: a public client without code_challenge → invalid_request (PKCE required)', async () => {
      expect(await errorRedirect({ code_challenge: undefined, code_challenge_method: undefined })).toBe('invalid_request');
    });

    it('RFC 9700 §2.1.1: a confidential client without code_challenge → invalid_request (PKCE required by default)', async () => {
      expect(await errorRedirect({ code_challenge: undefined, code_challenge_method: undefined }, { type: 'confidential' })).toBe(
        'invalid_request',
      );
    });

    it('RFC 7636 §4.4.1 / RFC 9700 §2.1.1: code_challenge_method=plain is refused → invalid_request', async () => {
      const { verifier } = pkcePair();
      expect(await errorRedirect({ code_challenge: verifier, code_challenge_method: 'plain' })).toBe('invalid_request');
    });

    it('RFC 7636 §4.3: an omitted code_challenge_method means plain, refused → invalid_request', async () => {
      expect(await errorRedirect({ code_challenge_method: undefined })).toBe('invalid_request');
    });

    it('RFC 7636 §4.2: a malformed S256 challenge → invalid_request', async () => {
      expect(await errorRedirect({ code_challenge: 'too-short' })).toBe('invalid_request');
    });
  });

  describe('consent', () => {
    it('shows the client name and scope descriptions, cannot be framed, and carries the CSRF token', async () => {
      const { user, client } = await userAndClient(t, { name: 'Radon <Dashboard>' });
      const res = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'read:device write:device' }).params), {
        cookie: user.cookie,
      });
      expect(res.status).toBe(200);
      expect(res.text).toContain('Radon &lt;Dashboard&gt;');
      expect(res.text).toContain('See your devices and their sensor readings');
      expect(res.text).toContain('Add, change and delete your devices');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      // The redirect after the form post must be allowed by form-action (browsers enforce it on redirects).
      expect(res.headers.get('content-security-policy')).toContain("form-action 'self' https://app.example.test");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(consentFields(res.text)._csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('RFC 6749 §10.12: a consent post without the CSRF token is refused and issues no code', async () => {
      const { user, client } = await userAndClient(t);
      const page = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: user.cookie });
      const { _csrf, ...fields } = consentFields(page.text);
      expect(_csrf).toBeTruthy();
      const res = await t.http.post('/oauth/consent', { cookie: user.cookie, form: { ...fields, decision: 'approve' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('location')).toBeNull();
      const crossSite = await t.http.post('/oauth/consent', {
        cookie: user.cookie,
        form: { ...consentFields(page.text), decision: 'approve' },
        origin: 'https://evil.example.test',
      });
      expect(crossSite.status).toBe(403);
    });

    it('RFC 6749 §4.1.2 / RFC 9207 §2: approval redirects (303) with code, state and iss', async () => {
      const { user, client } = await userAndClient(t);
      const { params, state } = codeRequest(client);
      const page = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
      const res = await decide(t, user.cookie, page.text, 'approve');
      expect(res.status).toBe(303);
      const q = redirectParams(res);
      expect(q.get('code')).toMatch(/^ghac_[0-9A-Za-z]{36}$/);
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(issuer);
      const rows = await auditRows('consent.grant');
      expect(rows.some((r) => r.actorId === user.user.id && r.targetId === client.clientId)).toBe(true);
    });

    it('RFC 6749 §4.1.2.1: denial redirects (303) with error=access_denied, state and iss', async () => {
      const { user, client } = await userAndClient(t);
      const { params, state } = codeRequest(client);
      const page = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
      const res = await decide(t, user.cookie, page.text, 'deny');
      expect(res.status).toBe(303);
      const q = redirectParams(res);
      expect(q.get('error')).toBe('access_denied');
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(issuer);
      expect(q.get('code')).toBeNull();
    });

    it('hidden fields are validated again: a tampered redirect_uri on the consent post → error page, no redirect', async () => {
      const { user, client } = await userAndClient(t);
      const page = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: user.cookie });
      const res = await t.http.post('/oauth/consent', {
        cookie: user.cookie,
        form: { ...consentFields(page.text), redirect_uri: 'https://evil.example.test/cb', decision: 'approve' },
      });
      expectNoRedirect(res);
    });

    it('is remembered: a later request for a subset skips the page; a new scope asks again', async () => {
      const { user, client } = await userAndClient(t);
      await obtainCode(t, user.cookie, codeRequest(client, { scope: 'read:device write:device' }).params);

      const subset = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'read:device' }).params), { cookie: user.cookie });
      expect(subset.status).toBe(302);
      expect(redirectParams(subset).get('code')).toMatch(/^ghac_/);

      const { user: other } = await userAndClient(t);
      const someoneElse = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: other.cookie });
      expect(someoneElse.status).toBe(200);

      const { client: narrow } = await userAndClient(t);
      await obtainCode(t, user.cookie, codeRequest(narrow, { scope: 'read:device' }).params);
      const wider = await t.http.get(authorizeUrl(codeRequest(narrow, { scope: 'read:device write:device' }).params), {
        cookie: user.cookie,
      });
      expect(wider.status).toBe(200);
      expect(wider.text).toContain('action="/oauth/consent"');
    });

    it('remembered consent reached from our own sign-in form (same-origin) continues by a page, not a redirect the form-action CSP would block', async () => {
      const { user, client } = await userAndClient(t);
      await obtainCode(t, user.cookie, codeRequest(client).params);
      const { params, state } = codeRequest(client);
      const res = await t.http.get(authorizeUrl(params), { cookie: user.cookie, headers: { 'sec-fetch-site': 'same-origin' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const location = /<meta http-equiv="refresh" content="0;url=([^"]+)">/
        .exec(res.text)![1]
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=');
      const q = new URL(location).searchParams;
      expect(location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
      expect(q.get('code')).toMatch(/^ghac_/);
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(issuer);
      const crossSite = await t.http.get(authorizeUrl(codeRequest(client).params), {
        cookie: user.cookie,
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(crossSite.status).toBe(302);
    });

    it('drops requested scopes the user does not hold; the token response says what was granted (RFC 6749 §3.3)', async () => {
      const owner = await signedInUser(t);
      const client = await registerClient(t, owner.user);
      const viewer = await signedInUser(t, { roles: ['viewer'] });
      const page = await t.http.get(authorizeUrl(codeRequest(client, { scope: 'read:device write:device' }).params), {
        cookie: viewer.cookie,
      });
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-testid="dropped-scopes"');
      const tokens = await obtainTokens(t, viewer.cookie, client, { scope: 'read:device write:device' });
      expect(tokens.scope).toBe('read:device');
    });
  });

  describe('POST /oauth/token grant_type=authorization_code', () => {
    it('RFC 6749 §4.1.4 / §5.1: exchanges a code for an access token and a refresh token, no-store', async () => {
      const { user, client } = await userAndClient(t);
      const { params, pkce } = codeRequest(client, { scope: 'read:device write:device' });
      const code = await obtainCode(t, user.cookie, params);
      const res = await exchangeCode(t, client, code, pkce.verifier);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^ghat_/),
        refresh_token: expect.stringMatching(/^ghrt_/),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        scope: 'read:device write:device',
      });
      const devices = await t.http.get('/devices', { bearer: res.body.access_token });
      expect(devices.status).toBe(200);
      // Codes are stored hashed only.
      const row = await t.dataSource.getRepository(AuthorizationCode).findOneBy({ codeHash: hashToken(code) });
      expect(row).not.toBeNull();
      expect(JSON.stringify(row)).not.toContain(code);
      const issued = await auditRows('token.issue');
      expect(issued.some((r) => r.actorId === client.clientId && r.targetId === user.user.id)).toBe(true);
    });

    it('a confidential client authenticates with its secret and uses PKCE too', async () => {
      const { user, client } = await userAndClient(t, { type: 'confidential' });
      const { params, pkce } = codeRequest(client);
      const res = await exchangeCode(t, client, await obtainCode(t, user.cookie, params), pkce.verifier);
      expect(res.status).toBe(200);
      expect(res.body.refresh_token).toMatch(/^ghrt_/);
    });

    it('RFC 7636 §4.6: wrong code_verifier → invalid_grant', async () => {
      const { user, client } = await userAndClient(t);
      const { params } = codeRequest(client);
      const res = await exchangeCode(t, client, await obtainCode(t, user.cookie, params), pkcePair().verifier);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('RFC 7636 §4.5: missing code_verifier for a code with a challenge → invalid_grant', async () => {
      const { user, client } = await userAndClient(t);
      const res = await exchangeCode(t, client, await obtainCode(t, user.cookie, codeRequest(client).params), undefined);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('RFC 9700 §2.1.1: a code_verifier for a code issued without a challenge is a downgrade → invalid_grant', async () => {
      // Only a confidential client under relaxed configuration gets such a code; mint one directly.
      const { user, client } = await userAndClient(t, { type: 'confidential' });
      const clientRow = (await t.get<ClientsService>(ClientsService).findById(client.clientId))!;
      const codes = t.get<AuthorizationCodesService>(AuthorizationCodesService);
      const request = {
        client: clientRow,
        redirectUri: REDIRECT_URI,
        redirectUriGiven: true,
        scopes: ['read:device'],
        codeChallenge: null,
        extensions: {},
      };
      const downgraded = await exchangeCode(t, client, await codes.issue(request, user.user.id, ['read:device']), pkcePair().verifier);
      expect(downgraded.status).toBe(400);
      expect(downgraded.body.error).toBe('invalid_grant');
      const plain = await exchangeCode(t, client, await codes.issue(request, user.user.id, ['read:device']), undefined);
      expect(plain.status).toBe(200);
    });

    it('RFC 6749 §4.1.3: redirect_uri different from the authorization request → invalid_grant', async () => {
      const { user, client } = await userAndClient(t, { redirectUris: [REDIRECT_URI, 'https://app.example.test/other'] });
      const { params, pkce } = codeRequest(client);
      const code = await obtainCode(t, user.cookie, params);
      const res = await exchangeCode(t, client, code, pkce.verifier, 'https://app.example.test/other');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
      const omitted = await exchangeCode(t, client, code, pkce.verifier, '');
      expect(omitted.body.error).toBe('invalid_grant');
    });

    it('RFC 6749 §4.1.3: a code issued to another client → invalid_grant', async () => {
      const { user, client, owner } = await userAndClient(t);
      const other = await registerClient(t, owner.user);
      const { params, pkce } = codeRequest(client);
      const res = await exchangeCode(t, other, await obtainCode(t, user.cookie, params), pkce.verifier);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('RFC 6749 §4.1.2: an expired code → invalid_grant', async () => {
      const { user, client } = await userAndClient(t);
      const { params, pkce } = codeRequest(client);
      const code = await obtainCode(t, user.cookie, params);
      const row = await t.dataSource.getRepository(AuthorizationCode).findOneByOrFail({ codeHash: hashToken(code) });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(60_000);
      await t.dataSource.getRepository(AuthorizationCode).update({ id: row.id }, { expiresAt: new Date(Date.now() - 1000) });
      const res = await exchangeCode(t, client, code, pkce.verifier);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('RFC 6749 §4.1.2 / §10.5: redeeming a code twice → invalid_grant, and every token issued from it is revoked', async () => {
      const { user, client } = await userAndClient(t);
      const { params, pkce } = codeRequest(client);
      const code = await obtainCode(t, user.cookie, params);
      const first = await exchangeCode(t, client, code, pkce.verifier);
      expect(first.status).toBe(200);
      expect((await t.http.get('/devices', { bearer: first.body.access_token })).status).toBe(200);

      const second = await exchangeCode(t, client, code, pkce.verifier);
      expect(second.status).toBe(400);
      expect(second.body.error).toBe('invalid_grant');
      expect((await t.http.get('/devices', { bearer: first.body.access_token })).status).toBe(401);
      expect((await refresh(t, client, first.body.refresh_token)).body.error).toBe('invalid_grant');
    });

    it('RFC 6749 §10.5: of concurrent redemptions of one code exactly one succeeds', async () => {
      const { user, client } = await userAndClient(t);
      const { params, pkce } = codeRequest(client);
      const code = await obtainCode(t, user.cookie, params);
      const results = await Promise.all(Array.from({ length: 10 }, () => exchangeCode(t, client, code, pkce.verifier)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(9);
    });

    it('RFC 6749 §5.2: malformed or unknown codes → invalid_grant, missing code → invalid_request', async () => {
      const { client } = await userAndClient(t);
      expect((await exchangeCode(t, client, 'not-a-code', pkcePair().verifier)).body.error).toBe('invalid_grant');
      expect((await exchangeCode(t, client, 'ghac_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', pkcePair().verifier)).body.error).toBe(
        'invalid_grant',
      );
      expect((await exchangeCode(t, client, '', pkcePair().verifier)).body.error).toBe('invalid_request');
    });

    it('a disabled user: the code no longer redeems', async () => {
      const { user, client } = await userAndClient(t);
      const { params, pkce } = codeRequest(client);
      const code = await obtainCode(t, user.cookie, params);
      await rawQuery(t.dataSource, 'UPDATE users SET status = ? WHERE id = ?', ['disabled', user.user.id]);
      const res = await exchangeCode(t, client, code, pkce.verifier);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });
  });

  describe('RFC 8414 discovery', () => {
    it('advertises the authorization endpoint, response type code and S256 only', async () => {
      const res = await t.http.get('/.well-known/oauth-authorization-server');
      expect(res.status).toBe(200);
      expect(res.body.authorization_endpoint).toBe(`${issuer}/oauth/authorize`);
      expect(res.body.response_types_supported).toEqual(['code']);
      expect(res.body.code_challenge_methods_supported).toEqual(['S256']);
      expect(res.body.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
      expect(res.body.authorization_response_iss_parameter_supported).toBe(true);
    });
  });
});
