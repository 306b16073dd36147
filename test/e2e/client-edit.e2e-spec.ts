import { Client } from '../../src/clients/client.entity';
import { auditForTarget, detailsOf, signedInAdmin } from './support/admin.fixture';
import { flashMessage, followRedirect, HTML } from './support/pages.fixture';
import {
  authorizeUrl,
  clientRequest,
  codeRequest,
  obtainTokens,
  refresh,
  REDIRECT_URI,
  registerClient,
} from './support/oauth-flow.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

const OTHER_URI = 'https://app.example.test/other';

describe('editing a client keeps its client_id; narrowing applies to live tokens at their next use', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const patch = (cookie: string, clientId: string, json: unknown) => t.http.patch(`/developer/clients/${clientId}`, { cookie, json });

  it('PATCH /developer/clients/:clientId narrows scopes: a live access token loses write:device at its next use (RFC 6750 §3.1 insufficient_scope)', async () => {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user, { type: 'confidential', grantTypes: ['authorization_code', 'refresh_token'] });
    const tokens = await obtainTokens(t, owner.cookie, client, { scope: 'read:device write:device' });
    expect(tokens.scope.split(' ').sort()).toEqual(['read:device', 'write:device']);
    expect((await t.http.post('/devices', { bearer: tokens.access_token, json: { name: 'before' } })).status).toBe(201);

    const res = await patch(owner.cookie, client.clientId, { scopes: ['read:device'], name: 'Renamed app' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: client.clientId, name: 'Renamed app', scopes: ['read:device'], type: 'confidential' });

    const write = await t.http.post('/devices', { bearer: tokens.access_token, json: { name: 'after' } });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect((await t.http.get('/devices', { bearer: tokens.access_token })).status).toBe(200);
    // RFC 7662 §2.2: introspection reports what the token is good for now.
    const introspected = await clientRequest(t, client, '/oauth/introspect', { token: tokens.access_token });
    expect(introspected.body).toMatchObject({ active: true, scope: 'read:device' });
    // A refresh issues only the narrowed scope.
    const refreshed = await refresh(t, client, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe('read:device');

    const [update] = await auditForTarget(t, client.clientId, 'client.update');
    expect(detailsOf(update)).toMatchObject({
      before: { scopes: ['read:device', 'write:device'] },
      after: { scopes: ['read:device'], name: 'Renamed app' },
    });
  });

  it('removing refresh_token from the grant types refuses the next refresh (RFC 6749 §5.2 unauthorized_client)', async () => {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user, { type: 'confidential', grantTypes: ['authorization_code', 'refresh_token'] });
    const tokens = await obtainTokens(t, owner.cookie, client);
    expect((await patch(owner.cookie, client.clientId, { grantTypes: ['authorization_code'] })).status).toBe(200);
    const res = await refresh(t, client, tokens.refresh_token);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unauthorized_client');
  });

  it('a removed redirect URI is refused at /oauth/authorize at once (RFC 6749 §4.1.2.1: no redirect, an error page)', async () => {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user, { redirectUris: [REDIRECT_URI, OTHER_URI] });
    const ok = await t.http.get(authorizeUrl(codeRequest({ ...client, redirectUris: [OTHER_URI] }).params), {
      cookie: owner.cookie,
      headers: HTML,
    });
    expect(ok.status).toBe(200);
    expect((await patch(owner.cookie, client.clientId, { redirectUris: [REDIRECT_URI] })).status).toBe(200);
    const refused = await t.http.get(authorizeUrl(codeRequest({ ...client, redirectUris: [OTHER_URI] }).params), {
      cookie: owner.cookie,
      headers: HTML,
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
  });

  it('refuses a type change, a scope the owner does not hold, an unknown grant type, and another owner’s client', async () => {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user);
    expect((await patch(owner.cookie, client.clientId, { type: 'confidential' })).status).toBe(400);
    expect((await patch(owner.cookie, client.clientId, { scopes: ['admin'] })).status).toBe(400);
    expect((await patch(owner.cookie, client.clientId, { grantTypes: ['password'] })).status).toBe(400);
    expect((await patch(owner.cookie, client.clientId, { grantTypes: ['client_credentials'] })).status).toBe(400);
    const stranger = await signedInUser(t);
    expect((await patch(stranger.cookie, client.clientId, { name: 'mine now' })).status).toBe(404);
    const row = await t.dataSource.getRepository(Client).findOneByOrFail({ clientId: client.clientId });
    expect(row).toMatchObject({ name: 'Radon dashboard', type: 'public' });
  });

  it('an admin edits any client through PATCH /admin/clients/:clientId, audited as admin.client.update', async () => {
    const admin = await signedInAdmin(t);
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user);
    const res = await t.http.patch(`/admin/clients/${client.clientId}`, { cookie: admin.cookie, json: { name: 'Admin renamed' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: client.clientId, name: 'Admin renamed' });
    expect(await auditForTarget(t, client.clientId, 'admin.client.update')).toHaveLength(1);
  });

  describe('the client page (/account/clients/:clientId)', () => {
    it('lists redirect URIs and grant types, saves an edit with a flash, and keeps what was typed when refused', async () => {
      const owner = await signedInUser(t);
      const client = await registerClient(t, owner.user);
      const page = await t.http.get(`/account/clients/${client.clientId}`, { cookie: owner.cookie, headers: HTML });
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<code>${REDIRECT_URI}</code>`);
      expect(page.text).toMatch(/data-testid="client-grant-types"><code>authorization_code<\/code>/);
      const _csrf = csrfFromPage(page.text);

      const bad = await t.http.post(`/account/clients/${client.clientId}`, {
        cookie: owner.cookie,
        form: {
          _csrf,
          name: 'Kept name',
          redirectUris: 'http://evil.example/cb',
          grantTypes: ['authorization_code'],
          scopes: 'read:device',
        },
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('role="alert"');
      expect(bad.text).toContain('value="Kept name"');
      expect(bad.text).toContain('http://evil.example/cb</textarea>');
      expect(bad.text).toMatch(/value="read:device" checked/);
      expect(bad.text).not.toMatch(/value="write:device" checked/);

      const good = await t.http.post(`/account/clients/${client.clientId}`, {
        cookie: owner.cookie,
        form: {
          _csrf,
          name: 'Saved name',
          redirectUris: `${REDIRECT_URI}\r\n${OTHER_URI}`,
          grantTypes: ['authorization_code'],
          scopes: 'read:device',
        },
      });
      expect(good.status).toBe(303);
      const shown = await followRedirect(t, good, owner.cookie);
      expect(flashMessage(shown.text)).toBe('Client “Saved name” saved.');
      expect(shown.text).toContain(`<code>${OTHER_URI}</code>`);
      const row = await t.dataSource.getRepository(Client).findOneByOrFail({ clientId: client.clientId });
      expect(row).toMatchObject({ name: 'Saved name', grantTypes: ['authorization_code'], allowedScopes: ['read:device'] });
    });

    it('registration: grant types are an explicit choice, and a refusal keeps the type and what was ticked', async () => {
      const owner = await signedInUser(t);
      const page = await t.http.get('/account/clients', { cookie: owner.cookie, headers: HTML });
      expect(page.text).toMatch(/name="grantTypes" value="authorization_code" checked/);
      expect(page.text).toMatch(/name="grantTypes" value="client_credentials">/);
      const res = await t.http.post('/account/clients', {
        cookie: owner.cookie,
        form: {
          _csrf: csrfFromPage(page.text),
          name: 'Tick keeper',
          type: 'public',
          redirectUris: '',
          grantTypes: ['client_credentials'],
          scopes: 'write:device',
        },
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<option value="public" selected>');
      expect(res.text).toMatch(/name="grantTypes" value="client_credentials" checked/);
      expect(res.text).toMatch(/value="write:device" checked/);
      const ok = await t.http.post('/account/clients', {
        cookie: owner.cookie,
        form: {
          _csrf: csrfFromPage(page.text),
          name: 'Machine',
          type: 'confidential',
          redirectUris: '',
          grantTypes: ['client_credentials'],
          scopes: 'read:device',
        },
      });
      expect(ok.status).toBe(303);
      const listed = (await t.http.get('/developer/clients', { cookie: owner.cookie })).body.items as {
        name: string;
        grantTypes: string[];
      }[];
      expect(listed.find((c) => c.name === 'Machine')?.grantTypes).toEqual(['client_credentials']);
    });
  });
});
