import { TOKEN_EXCHANGE_GRANT } from '../../src/clients/client-types';
import { signedInAdmin } from './support/admin.fixture';
import { createBot, createBotToken } from './support/bots.fixture';
import { basicAuth, createClient } from './support/clients.fixture';
import { registerClient } from './support/oauth-flow.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser, type TestUser } from './support/users.fixture';

/**
 * The OpenID Connect identity scopes (Core §5.4: openid, profile, email) describe a person signing
 * in to an app: they mean nothing on API keys, bot tokens or client_credentials tokens, so those
 * forms do not offer them and their creation refuses them with a clear 400.
 */
describe('OIDC identity scopes (Core §5.4) stay out of API keys, bot tokens and client_credentials', () => {
  let t: TestApp;
  let user: TestUser & { cookie: string };

  beforeAll(async () => {
    t = await startTestApp();
    user = await signedInUser(t);
  });
  afterAll(() => t.close());

  it('API keys: not offered on the page; refused with a 400 naming them', async () => {
    const page = await t.http.get('/account/tokens', { cookie: user.cookie, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="read:device"');
    for (const s of ['openid', 'profile', 'email']) expect(page.text).not.toContain(`value="${s}"`);
    const res = await t.http.post('/account/tokens', {
      cookie: user.cookie,
      json: { name: 'n', scopes: ['read:device', 'openid', 'email'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^openid email: OpenID Connect identity scopes/);
  });

  it('bot tokens: not offered on the bot page; refused with a 400', async () => {
    const bot = await createBot(t, user.cookie);
    const page = await t.http.get(`/account/bots/${bot.id}`, { cookie: user.cookie });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('value="openid"');
    const res = await t.http.post(`/account/bots/${bot.id}/tokens`, { cookie: user.cookie, json: { name: 'ci', scopes: ['profile'] } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/profile: OpenID Connect identity scopes/);
  });

  it('client_credentials: asked for, invalid_scope (RFC 6749 §5.2); by default, left out of the token', async () => {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user, {
      type: 'confidential',
      redirectUris: ['https://app.example.test/callback'],
      grantTypes: ['authorization_code', 'client_credentials'],
      scopes: ['openid', 'read:device'],
    });
    const headers = { authorization: basicAuth(client.clientId, client.secret!) };
    const asked = await t.http.post('/oauth/token', { form: { grant_type: 'client_credentials', scope: 'openid read:device' }, headers });
    expect(asked.status).toBe(400);
    expect(asked.body.error).toBe('invalid_scope');
    expect(asked.body.error_description).toContain('acts for no user');
    const byDefault = await t.http.post('/oauth/token', { form: { grant_type: 'client_credentials' }, headers });
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.scope).toBe('read:device');
  });

  it('bots (issue 24 “claims for bots”): a bot token carries no openid, so UserInfo answers insufficient_scope, never a person’s claims', async () => {
    const bot = await createBot(t, user.cookie);
    const token = await createBotToken(t, user.cookie, bot.id, ['read:device']);
    const res = await t.http.get('/oauth/userinfo', { bearer: token.token });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
  });

  it('impersonation (RFC 8693 §4.1): UserInfo of an impersonation token names the user as sub and the admin as act', async () => {
    const owner = await signedInUser(t, { roles: ['admin'] });
    const client = await createClient(t, owner.user, { grantTypes: [TOKEN_EXCHANGE_GRANT], scopes: ['openid', 'profile', 'read:device'] });
    const admin = await signedInAdmin(t);
    const actorToken = (await createPat(t, admin.cookie, ['impersonate', 'read:device'])).token;
    const res = await t.http.post('/oauth/token', {
      form: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token_type: 'urn:gatehouse:params:oauth:token-type:user-id',
        subject_token: user.user.id,
        actor_token: actorToken,
        actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        scope: 'openid profile',
      },
      headers: { authorization: basicAuth(client.clientId, client.secret!) },
    });
    expect(res.status).toBe(200);
    const info = await t.http.get('/oauth/userinfo', { bearer: res.body.access_token });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ sub: user.user.id, name: 'Test User', act: { sub: admin.user.id } });
  });
});
