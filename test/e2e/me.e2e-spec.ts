import { CredentialCache } from '../../src/auth/credential-cache';
import { AccessToken } from '../../src/access-tokens/access-token.entity';
import { hashToken } from '../../src/auth/token-format';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { Session } from '../../src/sessions/session.entity';
import { createBot, createBotToken } from './support/bots.fixture';
import { clientCredentialsToken, createClient } from './support/clients.fixture';
import { obtainTokens, userAndClient } from './support/oauth-flow.fixture';
import { userWithPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

describe('GET /me: who the caller is, for every kind of principal', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  /** The OIDC-style fields of a person. */
  const person = (u: { user: { id: string }; email: string }, name = 'Test User') => ({
    sub: u.user.id,
    kind: 'user',
    email: u.email,
    name,
  });

  it('a session cookie: the person, the session credential, every scope their roles hold, the absolute session expiry', async () => {
    const u = await signedInUser(t);
    const res = await t.http.get('/me', { cookie: u.cookie });
    expect(res.status).toBe(200);
    const session = await t.dataSource.getRepository(Session).findOneByOrFail({ userId: u.user.id });
    expect(res.body).toEqual({
      ...person(u),
      credential: { kind: 'session', id: session.id },
      scopes: expect.arrayContaining(['read:device', 'write:device']),
      expires_at: iso(session.expiresAt),
    });
    expect(res.body.scopes).toEqual([...res.body.scopes].sort());
    expect(res.body.scopes).not.toContain('admin');
  });

  it('a personal access token (Bearer): its own scopes only, its id, its expiry; never the secret', async () => {
    const u = await userWithPat(t, ['read:device'], {});
    const res = await t.http.get('/me', { bearer: u.pat.token });
    expect(res.status).toBe(200);
    const row = await t.dataSource.getRepository(PersonalToken).findOneByOrFail({ id: u.pat.id });
    expect(res.body).toEqual({
      ...person(u),
      credential: { kind: 'pat', id: u.pat.id },
      scopes: ['read:device'],
      expires_at: iso(row.expiresAt),
    });
    expect(res.text).not.toContain(u.pat.token);
  });

  it('an OAuth access token for a user (code flow): the user, the client, the granted scope, the token expiry', async () => {
    const { user, client } = await userAndClient(t);
    const tokens = await obtainTokens(t, user.cookie, client);
    const res = await t.http.get('/me', { bearer: tokens.access_token });
    expect(res.status).toBe(200);
    const row = await t.dataSource.getRepository(AccessToken).findOneByOrFail({ tokenHash: hashToken(tokens.access_token) });
    expect(res.body).toEqual({
      ...person(user),
      credential: { kind: 'oauth_access', id: row.id },
      client_id: client.clientId,
      scopes: ['read:device'],
      expires_at: iso(row.expiresAt),
    });
    expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('an OAuth access token from client_credentials: the client as its own subject, no person fields', async () => {
    const owner = await createUser(t);
    const client = await createClient(t, owner.user, { scopes: ['read:device'] });
    const token = await clientCredentialsToken(t, client, 'read:device');
    const res = await t.http.get('/me', { bearer: token });
    expect(res.status).toBe(200);
    const row = await t.dataSource.getRepository(AccessToken).findOneByOrFail({ tokenHash: hashToken(token) });
    expect(res.body).toEqual({
      sub: client.clientId,
      kind: 'client',
      credential: { kind: 'oauth_access', id: row.id },
      client_id: client.clientId,
      scopes: ['read:device'],
      expires_at: iso(row.expiresAt),
    });
  });

  it('a client secret (Authorization: Secret): the owner acting through the client; a current secret never expires', async () => {
    const owner = await createUser(t, { displayName: 'Client Owner' });
    const client = await createClient(t, owner.user, { scopes: ['read:device'] });
    const res = await t.http.get('/me', { headers: { authorization: `Secret ${client.secret}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...person(owner, 'Client Owner'),
      credential: { kind: 'client_secret', id: expect.any(String) },
      client_id: client.clientId,
      scopes: ['read:device'],
      expires_at: null,
    });
    expect(res.text).not.toContain(client.secret);
  });

  it('a bot token: kind bot, the bot’s name but no email, the bot_token credential and its expiry', async () => {
    const manager = await signedInUser(t);
    const bot = await createBot(t, manager.cookie);
    const token = await createBotToken(t, manager.cookie, bot.id, ['read:device']);
    const res = await t.http.get('/me', { bearer: token.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sub: bot.id,
      kind: 'bot',
      name: 'CI bot',
      credential: { kind: 'bot_token', id: token.id },
      scopes: ['read:device'],
      expires_at: token.expiresAt,
    });
  });

  it('RFC 8693 §4.1: an impersonation token shows the person acted for as sub and the admin as act', async () => {
    const admin = await signedInUser(t, { roles: ['admin'] });
    const target = await createUser(t, { displayName: 'Acted For' });
    const started = await t.http.post('/admin/impersonations', {
      cookie: admin.cookie,
      json: { user: target.email, reason: 'support ticket 42', scopes: ['read:device'] },
    });
    expect(started.status).toBe(201);
    const res = await t.http.get('/me', { bearer: started.body.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...person(target, 'Acted For'),
      credential: { kind: 'impersonation', id: expect.any(String) },
      scopes: ['read:device'],
      act: { sub: admin.user.id },
    });
    expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('RFC 6750 §3.1: no credential → 401 with a Bearer challenge; a revoked token → 401 invalid_token', async () => {
    const none = await t.http.get('/me');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const u = await userWithPat(t, ['read:device']);
    await t.dataSource.getRepository(PersonalToken).update({ id: u.pat.id }, { revokedAt: new Date() });
    const revoked = await t.http.get('/me', { bearer: u.pat.token });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('is cheap: every query it causes is the authentication lookup of the credential itself', async () => {
    const u = await userWithPat(t, ['read:device']);
    await t.http.get('/me', { bearer: u.pat.token });
    // The credential cache (issue 16) would serve the repeat from memory with no query at all
    // (sql-statements.e2e-spec.ts counts that): empty it, so the request looks the credential up.
    t.get<CredentialCache>(CredentialCache).invalidateAll();
    const spy = jest.spyOn(t.dataSource.logger, 'logQuery');
    try {
      expect((await t.http.get('/me', { bearer: u.pat.token })).status).toBe(200);
      const queries = spy.mock.calls.map(([sql]) => sql);
      expect(queries.length).toBeGreaterThan(0);
      expect(queries.filter((q) => !/personal_access_tokens/.test(q))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('needs no scope: a PAT with a single unrelated scope still gets 200', async () => {
    const u = await userWithPat(t, ['write:device']);
    const res = await t.http.get('/me', { bearer: u.pat.token });
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['write:device']);
  });
});
