import { rawQuery } from '../support/shared-database';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken, isWellFormed } from '../../src/auth/token-format';
import { AccessToken } from '../../src/access-tokens/access-token.entity';
import { basicAuth, clientCredentialsToken, createClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';

describe('POST /oauth/token: client_credentials', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ TOKEN_RATE_LIMIT_PER_CLIENT: '8', TOKEN_RATE_LIMIT_PER_IP: '10000' });
  });
  afterAll(() => t.close());

  const token = (opts: Parameters<TestApp['http']['post']>[1]) => t.http.post('/oauth/token', opts);
  const confidential = async (scopes = ['read:device', 'write:device'], roles: ('user' | 'viewer' | 'admin')[] = ['user']) => {
    const { user } = await createUser(t, { roles });
    return { user, client: await createClient(t, user, { scopes }) };
  };

  describe('success', () => {
    it('RFC 6749 §4.4.3 + §2.3.1: client_secret_basic returns a Bearer token with expires_in and scope, no refresh token, no-store', async () => {
      const { client: c } = await confidential();
      const res = await token({
        form: { grant_type: 'client_credentials', scope: 'read:device' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.expires_in).toBe(3600);
      expect(res.body.scope).toBe('read:device');
      expect(res.body.refresh_token).toBeUndefined();
      expect(isWellFormed(ACCESS_TOKEN, res.body.access_token)).toBe(true);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const row = await t.dataSource.getRepository(AccessToken).findOneBy({ tokenHash: hashToken(res.body.access_token) });
      expect(row?.clientId).toBe(c.clientId);
      expect(row?.userId).toBeNull();
      const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'token.issue', actorId: c.clientId });
      expect(audit).toHaveLength(1);
      expect(audit[0].actorType).toBe('client');
      expect(audit[0].details).not.toContain(res.body.access_token);
    });

    it('RFC 6749 §2.3.1: client_secret_post works; an omitted scope means the client’s default scopes (§3.3)', async () => {
      const { client: c } = await confidential();
      const res = await token({ form: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret! } });
      expect(res.status).toBe(200);
      expect(res.body.scope.split(' ').sort()).toEqual(['read:device', 'write:device']);
    });

    it('accepts a JSON body with scope as an array of strings', async () => {
      const { client: c } = await confidential();
      const res = await token({
        json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope: ['write:device', 'read:device'] },
      });
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe('write:device read:device');
    });

    it('accepts a JSON body with scope as a space-delimited string', async () => {
      const { client: c } = await confidential();
      const res = await token({
        json: { grant_type: 'client_credentials', scope: 'read:device' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe('read:device');
    });
  });

  describe('errors (RFC 6749 §5.2)', () => {
    it('RFC 6749 §5.2: a scope the client may not have is invalid_scope', async () => {
      const { client: c } = await confidential(['read:device']);
      const res = await token({
        form: { grant_type: 'client_credentials', scope: 'read:device write:device' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_scope');
      expect(typeof res.body.error_description).toBe('string');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('RFC 6749 §5.2: an unregistered scope is invalid_scope', async () => {
      const { client: c } = await confidential();
      const res = await token({
        form: { grant_type: 'client_credentials', scope: 'launch:rockets' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_scope');
    });

    it('RFC 6749 §5.2: invalid_client with Basic → 401 + WWW-Authenticate: Basic', async () => {
      const { client: c } = await confidential();
      const { client: other } = await confidential();
      const res = await token({
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basicAuth(c.clientId, other.secret!) },
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('RFC 6749 §5.2: a wrong secret in the body is invalid_client (401)', async () => {
      const { client: c } = await confidential();
      const wrong = c.secret!.slice(0, -1) + (c.secret!.endsWith('A') ? 'B' : 'A');
      const res = await token({ form: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: wrong } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    });

    it('RFC 6749 §5.2: no client authentication at all is invalid_client (401)', async () => {
      const res = await token({ form: { grant_type: 'client_credentials' } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    });

    it('RFC 6749 §2.3: two authentication methods at once is invalid_request', async () => {
      const { client: c } = await confidential();
      const res = await token({
        form: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret! },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('RFC 6749 §4.4 + §5.2: a public client asking for client_credentials is unauthorized_client', async () => {
      const { user } = await createUser(t);
      const pub = await createClient(t, user, { type: 'public', redirectUris: ['http://127.0.0.1:8123/cb'] });
      const res = await token({ form: { grant_type: 'client_credentials', client_id: pub.clientId } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unauthorized_client');
    });

    it('RFC 6749 §5.2: a confidential client not allowed client_credentials is unauthorized_client', async () => {
      const { user } = await createUser(t);
      const c = await createClient(t, user, {
        redirectUris: ['https://app.example/cb'],
        grantTypes: ['authorization_code', 'refresh_token'],
      });
      const res = await token({ form: { grant_type: 'client_credentials' }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unauthorized_client');
    });

    it('RFC 6749 §5.2: an unknown grant_type is unsupported_grant_type', async () => {
      const { client: c } = await confidential();
      const res = await token({
        form: { grant_type: 'password', username: 'a', password: 'b' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unsupported_grant_type');
    });

    it('RFC 6749 §3.2: a missing grant_type is invalid_request', async () => {
      const { client: c } = await confidential();
      const res = await token({ form: { scope: 'read:device' }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('RFC 6749 §3.2: a repeated parameter is invalid_request', async () => {
      const { client: c } = await confidential();
      const res = await token({
        form: { grant_type: ['client_credentials', 'client_credentials'] },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it.each([
      ['text/plain', 'grant_type=client_credentials'],
      ['application/xml', '<grant_type>client_credentials</grant_type>'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('RFC 6749 §3.2: a %s body is invalid_request (not 415)', async (type, body) => {
      const { client: c } = await confidential();
      const res = await token({ body, headers: { 'content-type': type, authorization: basicAuth(c.clientId, c.secret!) } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('other routes still answer 415 for an unknown media type', async () => {
      const res = await t.http.post('/auth/login', { body: '<x/>', headers: { 'content-type': 'application/xml' }, origin: t.baseUrl });
      expect(res.status).toBe(415);
    });
  });

  describe('the token as a Bearer credential (RFC 6750)', () => {
    it('RFC 6750 §2.1: authenticates GET /devices as the client itself', async () => {
      const { client: c } = await confidential(['read:device']);
      const access = await clientCredentialsToken(t, c);
      const res = await t.http.get('/devices', { bearer: access });
      expect(res.status).toBe(200);
      // The client acts as its own service identity: it owns no devices.
      expect(res.body.items).toEqual([]);
    });

    it('RFC 6750 §3.1: a scope the token lacks is 403 insufficient_scope', async () => {
      const { client: c } = await confidential(['read:device']);
      const access = await clientCredentialsToken(t, c);
      const res = await t.http.post('/devices', { bearer: access, json: { name: 'x' } });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });

    it('RFC 6750 §3.1: an expired token is 401 invalid_token', async () => {
      const { client: c } = await confidential(['read:device']);
      const access = await clientCredentialsToken(t, c);
      await t.dataSource.getRepository(AccessToken).update({ tokenHash: hashToken(access) }, { expiresAt: new Date(Date.now() - 1000) });
      const res = await t.http.get('/devices', { bearer: access });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('RFC 6750 §3.1: a well-formed but unknown token and a bad checksum are 401 invalid_token', async () => {
      const { client: c } = await confidential(['read:device']);
      const access = await clientCredentialsToken(t, c);
      await t.dataSource.getRepository(AccessToken).delete({ tokenHash: hashToken(access) });
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(401);
      const mangled = access.slice(0, 10) + (access[10] === 'a' ? 'b' : 'a') + access.slice(11);
      expect((await t.http.get('/devices', { bearer: mangled })).status).toBe(401);
    });

    it('a disabled client’s tokens stop working at once', async () => {
      const { client: c } = await confidential(['read:device']);
      const access = await clientCredentialsToken(t, c);
      await rawQuery(t.dataSource, 'UPDATE clients SET status = ? WHERE client_id = ?', ['disabled', c.clientId]);
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(401);
    });
  });

  it('rate-limits the token endpoint per client: 429 with Retry-After', async () => {
    const { client: c } = await confidential();
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 9; i++) {
      last = await token({ form: { grant_type: 'client_credentials' }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses[8]).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.body.error).toBe('too_many_requests');
    // Another client is not affected.
    const { client: other } = await confidential();
    expect(
      (await token({ form: { grant_type: 'client_credentials' }, headers: { authorization: basicAuth(other.clientId, other.secret!) } }))
        .status,
    ).toBe(200);
  });
});
