import { rawQuery } from '../support/shared-database';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken, isWellFormed } from '../../src/auth/token-format';
import { ClientSecret } from '../../src/clients/client-secret.entity';
import { basicAuth, createClient } from './support/clients.fixture';
import { createDevice } from './support/devices.fixture';
import { flashMessage, followRedirect, revealedSecret } from './support/pages.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';
import { CLIENT_SECRET_TOKEN } from '../../src/clients/client-secret.token-kind';

describe('clients: Developer settings, admin API, the Secret scheme', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const register = (cookie: string, body: Record<string, unknown>) =>
    t.http.post('/developer/clients', { cookie, json: { name: 'My app', type: 'confidential', scopes: ['read:device'], ...body } });
  const ccToken = (clientId: string, secret: string) =>
    t.http.post('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: basicAuth(clientId, secret) } });
  const secretAuth = (secret: string) => ({ authorization: `Secret ${secret}` });

  describe('registration (owner API)', () => {
    it('returns the client id and the secret once; only the secret’s SHA-256 is stored; audited', async () => {
      const { cookie, user } = await signedInUser(t);
      const res = await register(cookie, {});
      expect(res.status).toBe(201);
      expect(res.body.clientId).toMatch(/^ghc_/);
      expect(isWellFormed(CLIENT_SECRET_TOKEN, res.body.clientSecret)).toBe(true);
      expect(res.body.grantTypes).toEqual(['client_credentials']);
      const rows = await t.dataSource.getRepository(ClientSecret).findBy({ clientId: res.body.clientId });
      expect(rows).toHaveLength(1);
      expect(rows[0].secretHash).toBe(hashToken(res.body.clientSecret));
      const dump = JSON.stringify(await rawQuery(t.dataSource, 'SELECT * FROM client_secrets WHERE client_id = ?', [res.body.clientId]));
      expect(dump).not.toContain(res.body.clientSecret);
      // Never shown again.
      const again = await t.http.get(`/developer/clients/${res.body.clientId}`, { cookie });
      expect(again.status).toBe(200);
      expect(again.text).not.toContain(res.body.clientSecret);
      expect(again.body.secretHints).toHaveLength(1);
      const list = await t.http.get('/developer/clients', { cookie });
      expect(list.text).not.toContain(res.body.clientSecret);
      const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'client.create', targetId: res.body.clientId });
      expect(audit).toHaveLength(1);
      expect(audit[0].actorId).toBe(user.id);
      expect(audit[0].details ?? '').not.toContain(res.body.clientSecret);
    });

    it.each([
      ['http on a public host', 'http://app.example.com/cb'],
      ['a fragment', 'https://app.example.com/cb#frag'],
      ['a relative URI', '/callback'],
      ['a custom scheme', 'myapp://callback'],
      ['user credentials', 'https://user:pw@app.example.com/cb'],
    ])('RFC 6749 §3.1.2 / RFC 9700 §2.1: refuses a redirect URI with %s (400, nothing written)', async (_what, uri) => {
      const { cookie, user } = await signedInUser(t);
      const res = await register(cookie, { redirectUris: [uri] });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(uri);
      expect((await t.http.get('/developer/clients', { cookie })).body.items).toEqual([]);
      expect(await rawQuery(t.dataSource, 'SELECT client_id FROM clients WHERE owner_id = ?', [user.id])).toEqual([]);
    });

    it('RFC 8252 §7.3: accepts https and http on loopback hosts', async () => {
      const { cookie } = await signedInUser(t);
      const uris = ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost:3000/cb'];
      const res = await register(cookie, { redirectUris: uris });
      expect(res.status).toBe(201);
      expect(res.body.redirectUris).toEqual(uris);
      expect(res.body.grantTypes).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    });

    it('refuses scopes the owner does not hold, unknown scopes, and a public client with client_credentials', async () => {
      const { cookie } = await signedInUser(t, { roles: ['viewer'] });
      expect((await register(cookie, { scopes: ['write:device'] })).status).toBe(400);
      expect((await register(cookie, { scopes: ['admin'] })).status).toBe(400);
      expect((await register(cookie, { scopes: ['nope:scope'] })).status).toBe(400);
      const pub = await register(cookie, { type: 'public', grantTypes: ['client_credentials'], redirectUris: ['https://a.example/cb'] });
      expect(pub.status).toBe(400);
      expect((await register(cookie, { name: '' })).status).toBe(400);
    });

    it('a public client has no secret', async () => {
      const { cookie } = await signedInUser(t);
      const res = await register(cookie, { type: 'public', redirectUris: ['http://127.0.0.1:9000/cb'] });
      expect(res.status).toBe(201);
      expect(res.body.clientSecret).toBeUndefined();
      expect(res.body.grantTypes).toEqual(['authorization_code', 'refresh_token']);
    });

    it('is cookie-only, and another user’s client is 404', async () => {
      const a = await signedInUser(t);
      const b = await signedInUser(t);
      const created = await register(a.cookie, {});
      expect((await t.http.get(`/developer/clients/${created.body.clientId}`, { cookie: b.cookie })).status).toBe(404);
      expect((await t.http.post(`/developer/clients/${created.body.clientId}/disable`, { cookie: b.cookie })).status).toBe(404);
      const bySecret = await t.http.get('/developer/clients', { headers: secretAuth(created.body.clientSecret) });
      expect(bySecret.status).toBe(401);
    });
  });

  describe('secret rotation, disable, delete', () => {
    it('rotation: a new secret shown once; the old one keeps working during the grace period; audited', async () => {
      const { cookie } = await signedInUser(t);
      const { clientId, clientSecret: old } = (await register(cookie, {})).body;
      const res = await t.http.post(`/developer/clients/${clientId}/secret`, { cookie, json: {} });
      expect(res.status).toBe(201);
      expect(res.body.clientSecret).not.toBe(old);
      const grace = Date.parse(res.body.previousSecretsExpireAt) - Date.now();
      expect(grace).toBeGreaterThan(23.9 * 3_600_000);
      expect(grace).toBeLessThanOrEqual(24 * 3_600_000);
      expect((await ccToken(clientId, old)).status).toBe(200);
      expect((await ccToken(clientId, res.body.clientSecret)).status).toBe(200);
      // When the grace period is over, only the new secret works.
      await t.dataSource.getRepository(ClientSecret).update({ secretHash: hashToken(old) }, { expiresAt: new Date(Date.now() - 1000) });
      expect((await ccToken(clientId, old)).status).toBe(401);
      expect((await ccToken(clientId, res.body.clientSecret)).status).toBe(200);
      expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'client.secret_rotate', targetId: clientId })).toBe(1);
    });

    it('rotation with revokeOld: the old secret stops at once', async () => {
      const { cookie } = await signedInUser(t);
      const { clientId, clientSecret: old } = (await register(cookie, {})).body;
      const res = await t.http.post(`/developer/clients/${clientId}/secret`, { cookie, json: { revokeOld: true } });
      expect(res.body.previousSecretsExpireAt).toBeNull();
      expect((await ccToken(clientId, old)).status).toBe(401);
      expect((await ccToken(clientId, res.body.clientSecret)).status).toBe(200);
    });

    it('disable: token requests are invalid_client and the Secret scheme is 401; enable restores; audited', async () => {
      const { cookie } = await signedInUser(t);
      const { clientId, clientSecret } = (await register(cookie, {})).body;
      const res = await t.http.post(`/developer/clients/${clientId}/disable`, { cookie });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('disabled');
      const refused = await ccToken(clientId, clientSecret);
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_client');
      const bySecret = await t.http.get('/devices', { headers: secretAuth(clientSecret) });
      expect(bySecret.status).toBe(401);
      expect(bySecret.body.message).toBe('The client secret is invalid or revoked, or its client is disabled');
      expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'client.disable', targetId: clientId })).toBe(1);
      await t.http.post(`/developer/clients/${clientId}/enable`, { cookie });
      expect((await ccToken(clientId, clientSecret)).status).toBe(200);
    });

    it('delete: the client, its secrets and its tokens are gone', async () => {
      const { cookie } = await signedInUser(t);
      const { clientId, clientSecret } = (await register(cookie, {})).body;
      const access = (await ccToken(clientId, clientSecret)).body.access_token;
      expect((await t.http.delete(`/developer/clients/${clientId}`, { cookie })).status).toBe(204);
      expect((await t.http.get(`/developer/clients/${clientId}`, { cookie })).status).toBe(404);
      expect(await t.dataSource.getRepository(ClientSecret).countBy({ clientId })).toBe(0);
      expect((await t.http.get('/devices', { bearer: access })).status).toBe(401);
    });
  });

  describe('the Secret scheme', () => {
    it('is accepted on GET /devices and the samples routes, acting for the owner', async () => {
      const { cookie, user } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const c = await createClient(t, user, { scopes: ['read:device', 'write:device'] });
      const list = await t.http.get('/devices', { headers: secretAuth(c.secret!) });
      expect(list.status).toBe(200);
      expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([device.id]);
      const post = await t.http.post(`/devices/${device.id}/samples`, {
        headers: secretAuth(c.secret!),
        json: { samples: [{ recordedAt: new Date().toISOString(), co2: 500 }] },
      });
      expect(post.status).toBe(201);
      const samples = await t.http.get(`/devices/${device.id}/samples`, { headers: secretAuth(c.secret!) });
      expect(samples.status).toBe(200);
      expect(samples.body.items).toHaveLength(1);
    });

    it('is refused elsewhere with 401 saying the endpoint does not accept it', async () => {
      const { cookie, user } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const c = await createClient(t, user, { scopes: ['read:device'] });
      const res = await t.http.get(`/devices/${device.id}`, { headers: secretAuth(c.secret!) });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('This endpoint does not accept the Secret scheme');
    });

    it('scopes are the client’s allowed scopes ∩ the owner’s permissions: a missing one is 403', async () => {
      const { cookie, user } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const c = await createClient(t, user, { scopes: ['read:device'] });
      const res = await t.http.post(`/devices/${device.id}/samples`, { headers: secretAuth(c.secret!), json: { samples: [] } });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
    });

    it('an unknown, malformed or revoked secret is 401', async () => {
      const { user } = await createUser(t);
      const c = await createClient(t, user);
      expect((await t.http.get('/devices', { headers: secretAuth('ghcs_nope') })).status).toBe(401);
      await t.dataSource.getRepository(ClientSecret).update({ secretHash: hashToken(c.secret!) }, { revokedAt: new Date() });
      expect((await t.http.get('/devices', { headers: secretAuth(c.secret!) })).status).toBe(401);
    });
  });

  describe('Developer settings page (/account/clients)', () => {
    it('sends a signed-out browser to sign in', async () => {
      const res = await t.http.get('/account/clients');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login?next=%2Faccount%2Fclients');
    });

    it('registers through the form, shows the secret once, then never again', async () => {
      const { cookie } = await signedInUser(t);
      const page = await t.http.get('/account/clients', { cookie });
      expect(page.status).toBe(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await t.http.post('/account/clients', {
        cookie,
        form: { _csrf: csrf, name: 'Form app', type: 'confidential', redirectUris: '', scopes: 'read:device' },
      });
      expect(res.status).toBe(303);
      const shown = await followRedirect(t, res, cookie);
      expect(shown.headers.get('cache-control')).toBe('no-store');
      expect(flashMessage(shown.text)).toBe('Client “Form app” registered.');
      const secret = revealedSecret(shown.text)!;
      expect(isWellFormed(CLIENT_SECRET_TOKEN, secret)).toBe(true);
      const later = await t.http.get('/account/clients', { cookie });
      expect(later.text).toContain('Form app');
      expect(later.text).not.toContain(secret);
    });

    it('shows a validation error for a bad redirect URI and creates nothing', async () => {
      const { cookie } = await signedInUser(t);
      const page = await t.http.get('/account/clients', { cookie });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await t.http.post('/account/clients', {
        cookie,
        form: { _csrf: csrf, name: 'Bad', type: 'confidential', redirectUris: 'http://evil.example/cb' },
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('role="alert"');
      expect((await t.http.get('/developer/clients', { cookie })).body.items).toEqual([]);
    });

    it('refuses a form post without the CSRF token', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.post('/account/clients', { cookie, form: { name: 'x', type: 'confidential' } });
      expect(res.status).toBe(403);
    });
  });

  describe('admin API (/admin/clients)', () => {
    it('requires the admin scope', async () => {
      const { cookie } = await signedInUser(t);
      expect((await t.http.get('/admin/clients', { cookie })).status).toBe(403);
    });

    it('lists every client and can register one for a user, rotate, disable and delete it', async () => {
      const admin = await signedInUser(t, { roles: ['admin'] });
      const { user } = await createUser(t);
      const created = await t.http.post('/admin/clients', {
        cookie: admin.cookie,
        json: { ownerId: user.id, name: 'RS', type: 'confidential', scopes: ['read:device'], introspectionAllowed: true },
      });
      expect(created.status).toBe(201);
      expect(created.body.ownerId).toBe(user.id);
      expect(created.body.introspectionAllowed).toBe(true);
      const id = created.body.clientId;
      const list = await t.http.get('/admin/clients?limit=100', { cookie: admin.cookie });
      expect(list.body.items.map((c: { clientId: string }) => c.clientId)).toContain(id);
      expect((await t.http.post(`/admin/clients/${id}/secret`, { cookie: admin.cookie, json: { revokeOld: true } })).status).toBe(201);
      expect((await t.http.post(`/admin/clients/${id}/disable`, { cookie: admin.cookie })).body.status).toBe('disabled');
      expect((await t.http.delete(`/admin/clients/${id}`, { cookie: admin.cookie })).status).toBe(204);
      expect((await t.http.get(`/admin/clients/${id}`, { cookie: admin.cookie })).status).toBe(404);
      // Every admin call is itself audited, with the client as its target.
      const audited = await t.dataSource.getRepository(AuditEvent).findBy({ actorId: admin.user.id, targetId: id });
      expect(audited.map((e) => `${e.action}:${e.outcome}`).sort()).toEqual(
        expect.arrayContaining([
          'admin.client.create:success',
          'admin.client.rotate_secret:success',
          'admin.client.disable:success',
          'admin.client.delete:success',
        ]),
      );
    });
  });
});
