import { generateToken } from '../../src/auth/token-format';
import { Client } from '../../src/clients/client.entity';
import { basicAuth, clientCredentialsToken, createClient } from './support/clients.fixture';
import { codeRequest, authorizeAndApprove, registerClient } from './support/oauth-flow.fixture';
import { userWithPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';
import { CLIENT_SECRET_TOKEN } from '../../src/clients/client-secret.token-kind';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';

const BODY_LIMIT = 4096;
const OAUTH_ENDPOINTS = ['/oauth/token', '/oauth/revoke', '/oauth/introspect'] as const;

/** Items 4, 5 and 7 of issue 9: the shape of OAuth and resource-server error responses. */
describe('OAuth error responses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  });
  afterAll(() => t.close());

  /** The form every client-authenticated endpoint needs besides client authentication. */
  const formFor = (path: string): Record<string, string> =>
    path === '/oauth/token' ? { grant_type: 'client_credentials' } : { token: generateToken(ACCESS_TOKEN) };

  describe('RFC 9110 §15.5.2 / RFC 6749 §5.2: every 401 carries a challenge, and says nothing about which clients exist', () => {
    it('a wrong client_secret in the form body is 401 invalid_client with WWW-Authenticate at token, revoke and introspect', async () => {
      const c = await createClient(t, (await createUser(t)).user, { introspectionAllowed: true });
      for (const path of OAUTH_ENDPOINTS) {
        const res = await t.http.post(path, {
          form: { ...formFor(path), client_id: c.clientId, client_secret: generateToken(CLIENT_SECRET_TOKEN) },
        });
        expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 401, error: 'invalid_client' });
        expect(res.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('pragma')).toBe('no-cache');
      }
    });

    it('a public client at /oauth/introspect is 401 invalid_client with WWW-Authenticate', async () => {
      const owner = await createUser(t);
      const pub = await registerClient(t, owner.user, { type: 'public' });
      const res = await t.http.post('/oauth/introspect', { form: { client_id: pub.clientId, token: generateToken(ACCESS_TOKEN) } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
    });

    it('an unknown client, a confidential client without its secret, a disabled client and a wrong secret get the same answer (no client enumeration)', async () => {
      const owner = await createUser(t);
      const confidential = await createClient(t, owner.user);
      const disabled = await createClient(t, owner.user);
      await t.dataSource.getRepository(Client).update({ clientId: disabled.clientId }, { status: 'disabled' });
      const attempts = {
        unknown: { client_id: 'ghc_nosuchclientatall' },
        withoutSecret: { client_id: confidential.clientId },
        disabledRightSecret: { client_id: disabled.clientId, client_secret: disabled.secret! },
        wrongSecret: { client_id: confidential.clientId, client_secret: generateToken(CLIENT_SECRET_TOKEN) },
      };
      const answers: Record<string, unknown> = {};
      for (const [name, form] of Object.entries(attempts)) {
        const res = await t.http.post('/oauth/token', { form: { grant_type: 'client_credentials', ...form } });
        answers[name] = { status: res.status, body: res.body, challenge: res.headers.get('www-authenticate') };
      }
      const expected = {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
        challenge: 'Basic realm="gatehouse"',
      };
      expect(answers).toEqual({ unknown: expected, withoutSecret: expected, disabledRightSecret: expected, wrongSecret: expected });
    });

    it('a 401 outside the auth core (a failed JSON sign-in) carries a challenge too', async () => {
      const u = await createUser(t);
      const res = await t.http.post('/auth/login', { json: { email: u.email, password: 'not the password at all' }, origin: t.baseUrl });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    });
  });

  describe('RFC 6750 §3.1: a token presented wrongly is 400 invalid_request, not an unknown token', () => {
    it('a token in the Authorization header and in the query string (RFC 6750 §2.3)', async () => {
      const { pat } = await userWithPat(t);
      const res = await t.http.get(`/devices?access_token=${pat.token}`, { bearer: pat.token });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="invalid_request"/);
    });

    it('a token in the Authorization header and in the body (RFC 6750 §2.2), form or JSON', async () => {
      const { pat } = await userWithPat(t, ['write:device']);
      const json = await t.http.post('/devices', { bearer: pat.token, json: { name: 'x', access_token: pat.token } });
      expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
      const form = await t.http.post('/devices', { bearer: pat.token, form: { name: 'x', access_token: pat.token } });
      expect([form.status, form.body.error]).toEqual([400, 'invalid_request']);
    });

    it('a bare "Bearer", "Bearer a b" and a token with characters outside b64token (RFC 6750 §2.1)', async () => {
      for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Secret a b']) {
        const res = await t.http.get('/devices', { headers: { authorization } });
        expect({ authorization, status: res.status, error: res.body.error }).toEqual({
          authorization,
          status: 400,
          error: 'invalid_request',
        });
      }
    });

    it('a well-formed unknown token is still 401 invalid_token', async () => {
      const res = await t.http.get('/devices', { bearer: generateToken(PAT_TOKEN) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });
  });

  describe('RFC 6749 §5.2: malformed bodies at the OAuth endpoints are invalid_request', () => {
    it('a body over BODY_LIMIT_BYTES is 400 invalid_request at token, revoke and introspect (form and JSON)', async () => {
      for (const path of OAUTH_ENDPOINTS) {
        const form = await t.http.post(path, { form: { grant_type: 'client_credentials', padding: 'x'.repeat(BODY_LIMIT) } });
        expect({ path, status: form.status, body: form.body }).toEqual({
          path,
          status: 400,
          body: { error: 'invalid_request', error_description: expect.any(String) },
        });
        expect(form.headers.get('cache-control')).toBe('no-store');
        expect(form.headers.get('pragma')).toBe('no-cache');
        const json = await t.http.post(path, { json: { grant_type: 'client_credentials', padding: 'x'.repeat(BODY_LIMIT) } });
        expect({ path, status: json.status, error: json.body.error }).toEqual({ path, status: 400, error: 'invalid_request' });
      }
    });

    it('malformed JSON at the token endpoint is 400 invalid_request; elsewhere the API error shape stays', async () => {
      const res = await t.http.post('/oauth/token', { body: '{"grant_type": ', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      const big = await t.http.post('/auth/login', { json: { email: 'x'.repeat(BODY_LIMIT) }, origin: t.baseUrl });
      expect([big.status, big.body.error]).toEqual([413, 'payload_too_large']);
    });
  });

  describe('RFC 6749 §5.1 / RFC 6750 §5.3: Pragma: no-cache goes with Cache-Control: no-store on every response carrying a credential', () => {
    it('token response, authorization redirect with a code, PAT creation, an authenticated API response, a 401', async () => {
      const owner = await createUser(t);
      const cc = await createClient(t, owner.user);
      const token = await t.http.post('/oauth/token', {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basicAuth(cc.clientId, cc.secret!) },
      });
      const { user, client } = await (async () => {
        const u = await signedInUser(t);
        return { user: u, client: await registerClient(t, owner.user) };
      })();
      const redirect = await authorizeAndApprove(t, user.cookie, codeRequest(client).params);
      const pat = await t.http.post('/account/tokens', { cookie: user.cookie, json: { name: 'n', scopes: ['read:device'] } });
      const api = await t.http.get('/devices', { bearer: await clientCredentialsToken(t, cc) });
      const unauthorized = await t.http.get('/devices');
      const responses = { token, redirect, pat, api, unauthorized };
      const seen = Object.fromEntries(
        Object.entries(responses).map(([k, r]) => [
          k,
          { status: r.status, cacheControl: r.headers.get('cache-control'), pragma: r.headers.get('pragma') },
        ]),
      );
      const ok = (status: number) => ({ status, cacheControl: 'no-store', pragma: 'no-cache' });
      expect(seen).toEqual({ token: ok(200), redirect: ok(303), pat: ok(201), api: ok(200), unauthorized: ok(401) });
    });
  });
});
