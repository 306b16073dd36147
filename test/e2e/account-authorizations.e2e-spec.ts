import { rawQuery } from '../support/shared-database';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { authorizeUrl, codeRequest, obtainTokens, refresh, registerClient, userAndClient } from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

describe('GET /account/authorizations: the apps a user authorized, and revoking them', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ TOKEN_RATE_LIMIT_PER_IP: '100000', TOKEN_RATE_LIMIT_PER_CLIENT: '100000' });
  });
  afterAll(() => t.close());

  const devicesStatus = async (accessToken: string) => (await t.http.get('/devices', { bearer: accessToken })).status;
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  it('lists the authorized app with its scopes and when (JSON)', async () => {
    const { user, client } = await userAndClient(t, { name: 'Radon dashboard' });
    const before = Date.now();
    await obtainTokens(t, user.cookie, client, { scope: 'read:device write:device' });
    const res = await t.http.get('/account/authorizations', { cookie: user.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      nextCursor: null,
      items: [
        {
          clientId: client.clientId,
          clientName: 'Radon dashboard',
          grantedScopes: [
            { name: 'read:device', description: 'See your devices and their sensor readings' },
            { name: 'write:device', description: expect.stringContaining('Add, change and delete') },
          ],
          effectiveScopes: ['read:device', 'write:device'],
          authorizedAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      ],
    });
    expect(Date.parse(res.body.items[0].authorizedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('shows only the caller’s own authorizations', async () => {
    const { user, client } = await userAndClient(t);
    await obtainTokens(t, user.cookie, client);
    const stranger = await signedInUser(t);
    const res = await t.http.get('/account/authorizations', { cookie: stranger.cookie });
    expect(res.body.items).toEqual([]);
  });

  it('effective scopes = granted ∩ the user’s current permissions', async () => {
    const { user, client } = await userAndClient(t);
    await obtainTokens(t, user.cookie, client, { scope: 'read:device write:device' });
    await rawQuery(t.dataSource, 'UPDATE users SET roles = ? WHERE id = ?', ['viewer', user.user.id]);
    const res = await t.http.get('/account/authorizations', { cookie: user.cookie });
    expect(res.body.items[0].grantedScopes.map((s: { name: string }) => s.name)).toEqual(['read:device', 'write:device']);
    expect(res.body.items[0].effectiveScopes).toEqual(['read:device']);
  });

  it('is cookie-only: a Bearer access token cannot list or revoke its own user’s apps', async () => {
    const { user, client } = await userAndClient(t);
    const tokens = await obtainTokens(t, user.cookie, client);
    // Refused (401, or a sign-in redirect on this page route), never shown the list.
    const list = await t.http.get('/account/authorizations', { bearer: tokens.access_token, headers: { accept: 'application/json' } });
    expect([401, 303]).toContain(list.status);
    expect(list.text).not.toContain(client.clientId);
    expect((await t.http.delete(`/account/authorizations/${client.clientId}`, { bearer: tokens.access_token })).status).toBe(401);
    expect(await devicesStatus(tokens.access_token)).toBe(200);
  });

  it('DELETE revokes consent, refresh tokens and access tokens of that app for this user at once; others untouched', async () => {
    const { user, client, owner } = await userAndClient(t);
    const otherApp = await registerClient(t, owner.user);
    const otherUser = await signedInUser(t);
    const familyA = await obtainTokens(t, user.cookie, client);
    const familyB = await obtainTokens(t, user.cookie, client);
    const keepApp = await obtainTokens(t, user.cookie, otherApp);
    const keepUser = await obtainTokens(t, otherUser.cookie, client);

    const res = await t.http.delete(`/account/authorizations/${client.clientId}`, { cookie: user.cookie });
    expect(res.status).toBe(204);

    for (const f of [familyA, familyB]) {
      expect(await devicesStatus(f.access_token)).toBe(401);
      expect((await refresh(t, client, f.refresh_token)).body.error).toBe('invalid_grant');
    }
    // The consent is gone: the next request shows the consent page again.
    const again = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: user.cookie });
    expect(again.status).toBe(200);
    expect(again.text).toContain('action="/oauth/consent"');
    const list = await t.http.get('/account/authorizations', { cookie: user.cookie });
    expect(list.body.items.map((a: { clientId: string }) => a.clientId)).toEqual([otherApp.clientId]);

    expect(await devicesStatus(keepApp.access_token)).toBe(200);
    expect(await devicesStatus(keepUser.access_token)).toBe(200);
    expect((await refresh(t, client, keepUser.refresh_token)).status).toBe(200);

    const events = await t.dataSource.getRepository(AuditEvent).findBy({ actorId: user.user.id });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['consent.revoke', 'authorization.revoke']));

    const twice = await t.http.delete(`/account/authorizations/${client.clientId}`, { cookie: user.cookie });
    expect(twice.status).toBe(404);
  });

  it('the page lists the app and its Revoke form (CSRF token) revokes it, redirecting back with 303', async () => {
    const { user, client } = await userAndClient(t, { name: 'Air quality app' });
    const tokens = await obtainTokens(t, user.cookie, client);
    const page = await t.http.get('/account/authorizations', {
      cookie: user.cookie,
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Air quality app');
    expect(page.text).toContain(`action="/account/authorizations/${client.clientId}/revoke"`);

    const noToken = await t.http.post(`/account/authorizations/${client.clientId}/revoke`, { cookie: user.cookie, form: {} });
    expect(noToken.status).toBe(403);
    expect(await devicesStatus(tokens.access_token)).toBe(200);

    const res = await t.http.post(`/account/authorizations/${client.clientId}/revoke`, {
      cookie: user.cookie,
      form: { _csrf: csrfOf(page.text) },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/authorizations');
    expect(await devicesStatus(tokens.access_token)).toBe(401);
    const after = await t.http.get('/account/authorizations', { cookie: user.cookie, headers: { accept: 'text/html' } });
    expect(after.text).toContain('data-testid="no-authorizations"');
  });

  it('an unauthenticated browser is sent to sign in', async () => {
    const res = await t.http.get('/account/authorizations', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/account/authorizations')}`);
  });
});
