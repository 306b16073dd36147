import { rawQuery } from '../support/shared-database';
import { CredentialCache } from '../../src/auth/credential-cache';
import { generateToken } from '../../src/auth/token-format';
import { signedInAdmin, SignedIn } from './support/admin.fixture';
import { basicAuth, clientCredentialsToken, createClient, TestClient } from './support/clients.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { obtainTokens, refresh, registerClient } from './support/oauth-flow.fixture';
import { signIn, signedInUser } from './support/users.fixture';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';

/**
 * The credential cache (auth/credential-cache.ts) is on, as in production (1 s, the default).
 * Every kind of revocation must still hold at once on the instance that made it, and a write
 * the instance cannot see (another process) within the TTL. Each case first uses the credential
 * twice, so that it is in the cache when it is revoked.
 */
describe('credential cache: revocation holds at once (issue 16)', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await startTestApp({ CREDENTIAL_CACHE_TTL_MS: '1000' });
    admin = await signedInAdmin(t);
  });
  afterAll(() => t.close());

  const me = (headers: { bearer?: string; cookie?: string; secret?: string }) =>
    t.http.get('/me', {
      bearer: headers.bearer,
      cookie: headers.cookie,
      headers: headers.secret ? { authorization: `Secret ${headers.secret}` } : {},
    });

  async function warm(headers: Parameters<typeof me>[0]): Promise<void> {
    const before = t.get<CredentialCache>(CredentialCache).stats().hits;
    for (let i = 0; i < 2; i++) expect((await me(headers)).status).toBe(200);
    // The second use was served from memory: the cases below revoke a cached credential.
    expect(t.get<CredentialCache>(CredentialCache).stats().hits).toBeGreaterThan(before);
  }

  async function clientWithToken(): Promise<{ client: TestClient; token: string; ownerCookie: string }> {
    const owner = await signedInUser(t);
    const client = await createClient(t, owner.user, { grantTypes: ['client_credentials'] });
    return { client, token: await clientCredentialsToken(t, client), ownerCookie: owner.cookie };
  }

  it('a revoked PAT is refused on the next request', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    await warm({ bearer: pat.token });
    expect((await t.http.delete(`/account/tokens/${pat.id}`, { cookie: u.cookie })).status).toBe(204);
    const res = await me({ bearer: pat.token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('an OAuth access token revoked at /oauth/revoke (RFC 7009 §2.1) is refused on the next request', async () => {
    const { client, token } = await clientWithToken();
    await warm({ bearer: token });
    const revoked = await t.http.post('/oauth/revoke', {
      form: { token },
      headers: { authorization: basicAuth(client.clientId, client.secret!) },
    });
    expect(revoked.status).toBe(200);
    expect((await me({ bearer: token })).status).toBe(401);
  });

  it('a signed-out session is refused on the next request', async () => {
    const u = await signedInUser(t);
    await warm({ cookie: u.cookie });
    expect((await t.http.post('/auth/logout', { cookie: u.cookie })).status).toBeLessThan(400);
    expect((await me({ cookie: u.cookie })).status).toBe(401);
  });

  it('a client secret rotated with revokeOld stops at once, at the token endpoint and with the Secret scheme', async () => {
    const { client } = await clientWithToken();
    await warm({ secret: client.secret });
    const rotated = await t.http.post(`/admin/clients/${client.clientId}/secret`, { cookie: admin.cookie, json: { revokeOld: true } });
    expect(rotated.status).toBeLessThan(300);
    expect((await me({ secret: client.secret })).status).toBe(401);
    const token = await t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: basicAuth(client.clientId, client.secret!) },
    });
    expect(token.status).toBe(401);
    expect(token.body.error).toBe('invalid_client');
  });

  it('disabling a client stops its access tokens and its secret at once', async () => {
    const { client, token } = await clientWithToken();
    await warm({ bearer: token });
    await warm({ secret: client.secret });
    expect((await t.http.post(`/admin/clients/${client.clientId}/disable`, { cookie: admin.cookie })).status).toBeLessThan(300);
    expect((await me({ bearer: token })).status).toBe(401);
    expect((await me({ secret: client.secret })).status).toBe(401);
  });

  it("disabling a user stops their session, PAT and OAuth client's tokens at once", async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    const client = await createClient(t, u.user, { grantTypes: ['client_credentials'] });
    const token = await clientCredentialsToken(t, client);
    for (const h of [{ cookie: u.cookie }, { bearer: pat.token }, { bearer: token }]) await warm(h);
    expect((await t.http.post(`/admin/users/${u.user.id}/disable`, { cookie: admin.cookie })).status).toBeLessThan(300);
    for (const h of [{ cookie: u.cookie }, { bearer: pat.token }, { bearer: token }]) expect((await me(h)).status).toBe(401);
  });

  it('narrowing a user’s roles narrows their PAT’s scopes on the next request', async () => {
    const u = await signedInUser(t, { roles: ['user'] });
    const pat = await createPat(t, u.cookie, ['read:device', 'write:device']);
    await warm({ bearer: pat.token });
    expect((await me({ bearer: pat.token })).body.scopes).toContain('write:device');
    expect(
      (await t.http.request('PUT', `/admin/users/${u.user.id}/roles`, { cookie: admin.cookie, json: { roles: ['viewer'] } })).status,
    ).toBeLessThan(300);
    const after = await me({ bearer: pat.token });
    expect(after.status).toBe(200);
    expect(after.body.scopes).not.toContain('write:device');
    expect((await t.http.post('/devices', { bearer: pat.token, json: { name: 'x' } })).status).toBe(403);
  });

  it('ending the other sessions (DELETE /account/sessions) refuses them on the next request', async () => {
    const u = await signedInUser(t);
    const other = await signIn(t, u.email);
    await warm({ cookie: other });
    expect((await t.http.delete('/account/sessions', { cookie: u.cookie })).status).toBeLessThan(300);
    expect((await me({ cookie: other })).status).toBe(401);
    expect((await me({ cookie: u.cookie })).status).toBe(200);
  });

  it('revoking an authorized app (DELETE /account/authorizations/:clientId) refuses its access token at once', async () => {
    const u = await signedInUser(t);
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user, { type: 'confidential' });
    const tokens = await obtainTokens(t, u.cookie, client);
    await warm({ bearer: tokens.access_token });
    expect((await t.http.delete(`/account/authorizations/${client.clientId}`, { cookie: u.cookie })).status).toBeLessThan(300);
    expect((await me({ bearer: tokens.access_token })).status).toBe(401);
  });

  it('RFC 9700 §4.14.2: a replayed refresh token revokes the family, and its cached access token is refused at once', async () => {
    const u = await signedInUser(t);
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user, { type: 'confidential' });
    const tokens = await obtainTokens(t, u.cookie, client);
    const rotated = await refresh(t, client, tokens.refresh_token!);
    expect(rotated.status).toBe(200);
    // The successor is used, so the old refresh token's replay is reuse, not a graceful retry.
    expect((await refresh(t, client, rotated.body.refresh_token)).status).toBe(200);
    const live = rotated.body.access_token as string;
    await warm({ bearer: live });
    expect((await refresh(t, client, tokens.refresh_token!)).status).toBe(400);
    expect((await me({ bearer: live })).status).toBe(401);
  });

  it("an admin's revoke-credentials and deleting a user refuse their cached credentials at once", async () => {
    const a = await signedInUser(t);
    const patA = await createPat(t, a.cookie);
    for (const h of [{ cookie: a.cookie }, { bearer: patA.token }]) await warm(h);
    expect((await t.http.post(`/admin/users/${a.user.id}/revoke-credentials`, { cookie: admin.cookie })).status).toBeLessThan(300);
    for (const h of [{ cookie: a.cookie }, { bearer: patA.token }]) expect((await me(h)).status).toBe(401);

    const b = await signedInUser(t);
    const patB = await createPat(t, b.cookie);
    for (const h of [{ cookie: b.cookie }, { bearer: patB.token }]) await warm(h);
    expect((await t.http.delete(`/admin/users/${b.user.id}`, { cookie: admin.cookie })).status).toBeLessThan(300);
    for (const h of [{ cookie: b.cookie }, { bearer: patB.token }]) expect((await me(h)).status).toBe(401);
  });

  it("narrowing a client's scopes (PATCH /developer/clients/:clientId) narrows its cached token at once", async () => {
    const owner = await signedInUser(t);
    const client = await createClient(t, owner.user, { grantTypes: ['client_credentials'], scopes: ['read:device', 'write:device'] });
    const token = await clientCredentialsToken(t, client, 'read:device write:device');
    await warm({ bearer: token });
    expect((await me({ bearer: token })).body.scopes).toContain('write:device');
    const edited = await t.http.patch(`/developer/clients/${client.clientId}`, {
      cookie: owner.cookie,
      origin: t.baseUrl,
      json: { scopes: ['read:device'] },
    });
    expect(edited.status).toBeLessThan(300);
    const after = await me({ bearer: token });
    expect(after.status).toBe(200);
    expect(after.body.scopes).not.toContain('write:device');
  });

  it('a revocation this process cannot see (another process wrote it) holds within the 1 s TTL', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    await warm({ bearer: pat.token });
    // Raw SQL, as the CLI or another instance would write it: no local invalidation happens.
    await rawQuery(t.dataSource, 'UPDATE personal_access_tokens SET revoked_at = created_at WHERE id = ?', [pat.id]);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await me({ bearer: pat.token })).status).toBe(401);
  });

  it('keeps unknown tokens out of memory (negative results are not stored)', async () => {
    const cache = t.get<CredentialCache>(CredentialCache);
    cache.invalidateAll();
    for (let i = 0; i < 20; i++) expect((await me({ bearer: generateToken(PAT_TOKEN) })).status).toBe(401);
    for (let i = 0; i < 20; i++) expect((await me({ bearer: generateToken(ACCESS_TOKEN) })).status).toBe(401);
    expect(cache.stats().size).toBe(0);
  });
});
