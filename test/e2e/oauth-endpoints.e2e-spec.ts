import { AuditEvent } from '../../src/audit/audit-event.entity';
import { generateToken } from '../../src/auth/token-format';
import { basicAuth, clientCredentialsToken, createClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';

describe('OAuth revocation, introspection and discovery', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://auth.example.test' });
  });
  afterAll(() => t.close());

  const newClient = async (opts: { introspectionAllowed?: boolean } = {}) => {
    const { user } = await createUser(t);
    return createClient(t, user, { scopes: ['read:device'], ...opts });
  };

  describe('POST /oauth/revoke (RFC 7009)', () => {
    it('RFC 7009 §2.1–2.2: revokes the caller’s access token (200), after which it is 401 on /devices', async () => {
      const c = await newClient();
      const access = await clientCredentialsToken(t, c);
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(200);
      const res = await t.http.post('/oauth/revoke', {
        form: { token: access, token_type_hint: 'access_token' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const after = await t.http.get('/devices', { bearer: access });
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toContain('invalid_token');
      const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'token.revoke', actorId: c.clientId });
      expect(audit).toHaveLength(1);
    });

    it('RFC 7009 §2.2: another client’s token is left alone, and the answer is still 200', async () => {
      const owner = await newClient();
      const attacker = await newClient();
      const access = await clientCredentialsToken(t, owner);
      const res = await t.http.post('/oauth/revoke', {
        form: { token: access },
        headers: { authorization: basicAuth(attacker.clientId, attacker.secret!) },
      });
      expect(res.status).toBe(200);
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(200);
    });

    it('RFC 7009 §2.1: a wrong token_type_hint is not trusted; the token is still revoked', async () => {
      const c = await newClient();
      const access = await clientCredentialsToken(t, c);
      const res = await t.http.post('/oauth/revoke', {
        form: { token: access, token_type_hint: 'refresh_token' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(200);
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(401);
    });

    it('RFC 7009 §2.2: an unknown or malformed token answers 200', async () => {
      const c = await newClient();
      for (const token of [generateToken(ACCESS_TOKEN), 'garbage']) {
        const res = await t.http.post('/oauth/revoke', { form: { token }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
        expect(res.status).toBe(200);
      }
    });

    it('RFC 7009 §2.1: client authentication is required (invalid_client 401); a missing token is invalid_request', async () => {
      const c = await newClient();
      const access = await clientCredentialsToken(t, c);
      const anon = await t.http.post('/oauth/revoke', { form: { token: access } });
      expect(anon.status).toBe(401);
      expect(anon.body.error).toBe('invalid_client');
      const missing = await t.http.post('/oauth/revoke', { form: {}, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('invalid_request');
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(200);
    });
  });

  describe('POST /oauth/introspect (RFC 7662)', () => {
    it('RFC 7662 §2.2: an active token of the caller: active, scope, client_id, exp, iat, token_type, iss', async () => {
      const c = await newClient();
      const access = await clientCredentialsToken(t, c);
      const before = Math.floor(Date.now() / 1000);
      const res = await t.http.post('/oauth/introspect', {
        form: { token: access },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({
        active: true,
        scope: 'read:device',
        client_id: c.clientId,
        token_type: 'Bearer',
        iss: 'https://auth.example.test',
      });
      expect(res.body.sub).toBeUndefined();
      expect(res.body.iat).toBeGreaterThanOrEqual(before - 1);
      expect(res.body.exp - res.body.iat).toBe(3600);
    });

    it('RFC 7662 §2.2: revoked, unknown and malformed tokens are { active: false } and nothing else', async () => {
      const c = await newClient();
      const access = await clientCredentialsToken(t, c);
      await t.http.post('/oauth/revoke', { form: { token: access }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
      for (const token of [access, generateToken(ACCESS_TOKEN), 'nonsense']) {
        const res = await t.http.post('/oauth/introspect', {
          json: { token },
          headers: { authorization: basicAuth(c.clientId, c.secret!) },
        });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ active: false });
      }
    });

    it('RFC 7662 §4: another client’s token is inactive to an ordinary client, active to a resource server', async () => {
      const issuer = await newClient();
      const other = await newClient();
      const rs = await newClient({ introspectionAllowed: true });
      const access = await clientCredentialsToken(t, issuer);
      const byOther = await t.http.post('/oauth/introspect', {
        form: { token: access },
        headers: { authorization: basicAuth(other.clientId, other.secret!) },
      });
      expect(byOther.body).toEqual({ active: false });
      const byRs = await t.http.post('/oauth/introspect', { form: { token: access, client_id: rs.clientId, client_secret: rs.secret! } });
      expect(byRs.body.active).toBe(true);
      expect(byRs.body.client_id).toBe(issuer.clientId);
    });

    it('RFC 7662 §2.1: the endpoint requires client authentication', async () => {
      const c = await newClient();
      const access = await clientCredentialsToken(t, c);
      const res = await t.http.post('/oauth/introspect', { form: { token: access } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.body.active).toBeUndefined();
    });
  });

  describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
    it('RFC 8414 §2–3: issuer from config, endpoint URLs, grant types, scopes from the registry, auth methods', async () => {
      const res = await t.http.get('/.well-known/oauth-authorization-server');
      expect(res.status).toBe(200);
      const doc = res.body;
      expect(doc.issuer).toBe('https://auth.example.test');
      expect(doc.token_endpoint).toBe('https://auth.example.test/oauth/token');
      expect(doc.revocation_endpoint).toBe('https://auth.example.test/oauth/revoke');
      expect(doc.introspection_endpoint).toBe('https://auth.example.test/oauth/introspect');
      expect(doc.grant_types_supported).toContain('client_credentials');
      expect(Array.isArray(doc.response_types_supported)).toBe(true);
      expect(doc.scopes_supported).toEqual(expect.arrayContaining(['read:device', 'write:device', 'admin']));
      expect(doc.token_endpoint_auth_methods_supported).toEqual(
        expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
      );
      expect(doc.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
    });

    it('RFC 8414 §2: once the code flow is registered it advertises the authorization endpoint and S256 only', async () => {
      const doc = (await t.http.get('/.well-known/oauth-authorization-server')).body;
      if (!doc.grant_types_supported.includes('authorization_code')) {
        expect(doc.authorization_endpoint).toBeUndefined();
        expect(doc.code_challenge_methods_supported).toBeUndefined();
        return;
      }
      expect(doc.authorization_endpoint).toBe('https://auth.example.test/oauth/authorize');
      expect(doc.response_types_supported).toEqual(['code']);
      expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    });

    it('RFC 8414 §2: response_modes_supported is ["query"] (omitted, it means query and fragment), and every field both documents carry is the same in the OpenID one', async () => {
      const doc = (await t.http.get('/.well-known/oauth-authorization-server')).body;
      if (!doc.grant_types_supported.includes('authorization_code')) return;
      expect(doc.response_modes_supported).toEqual(['query']);
      const oidc = (await t.http.get('/.well-known/openid-configuration')).body;
      if (typeof oidc !== 'object') return;
      for (const [field, value] of Object.entries(doc)) expect({ field, value: oidc[field] }).toEqual({ field, value });
    });
  });
});
