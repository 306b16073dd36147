import { rawQuery } from '../support/shared-database';
import { signedInAdmin } from './support/admin.fixture';
import { obtainTokens, refresh, registerClient } from './support/oauth-flow.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/** Disabling a user, or revoking everything of theirs, ends their session, PATs and OAuth grants at once. */
describe('admin: a user’s credentials across kinds', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A signed-in user with a PAT and a code-flow token pair, each shown to work first. */
  async function userWithEverything() {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user);
    const victim = await signedInUser(t);
    const pat = await createPat(t, victim.cookie, ['read:device']);
    const tokens = await obtainTokens(t, victim.cookie, client, { scope: 'read:device' });
    expect((await t.http.get('/devices', { cookie: victim.cookie })).status).toBe(200);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    expect((await t.http.get('/devices', { bearer: tokens.access_token })).status).toBe(200);
    return { victim, pat, tokens, client };
  }

  async function assertAllDead(v: Awaited<ReturnType<typeof userWithEverything>>) {
    expect((await t.http.get('/devices', { cookie: v.victim.cookie })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: v.pat.token })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: v.tokens.access_token })).status).toBe(401);
    const refreshed = await refresh(t, v.client, v.tokens.refresh_token);
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  }

  it('lists sessions, PATs and OAuth grants of a user', async () => {
    const admin = await signedInAdmin(t);
    const v = await userWithEverything();
    const res = await t.http.get(`/admin/users/${v.victim.user.id}/credentials`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const kinds = (res.body.items as { kind: string; id: string }[]).map((c) => c.kind).sort();
    expect(kinds).toEqual(['oauth_grant', 'personal_access_token', 'session']);
    expect(res.body.items.find((c: { kind: string }) => c.kind === 'personal_access_token').id).toBe(v.pat.id);
    expect(JSON.stringify(res.body)).not.toContain(v.pat.token);
  });

  it('disabling a user kills their session, PAT and grant in the same second', async () => {
    const admin = await signedInAdmin(t);
    const v = await userWithEverything();
    const started = Date.now();
    expect((await t.http.post(`/admin/users/${v.victim.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
    await assertAllDead(v);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('"revoke everything" ends session, PAT and grant for good (they stay dead for an active user)', async () => {
    const admin = await signedInAdmin(t);
    const v = await userWithEverything();
    const res = await t.http.post(`/admin/users/${v.victim.user.id}/revoke-credentials`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ session: 1, personal_access_token: 1, oauth_grant: 1, bot_token: 0, impersonation: 0 });
    await assertAllDead(v);
    const after = await t.http.get(`/admin/users/${v.victim.user.id}/credentials`, { cookie: admin.cookie });
    expect(after.body.items).toEqual([]);
  });

  it('revokes one PAT or one grant and leaves the rest working', async () => {
    const admin = await signedInAdmin(t);
    const v = await userWithEverything();
    const list = (await t.http.get(`/admin/users/${v.victim.user.id}/credentials`, { cookie: admin.cookie })).body.items as {
      kind: string;
      id: string;
    }[];
    const grant = list.find((c) => c.kind === 'oauth_grant')!;
    expect(
      (await t.http.delete(`/admin/users/${v.victim.user.id}/credentials/personal_access_token/${v.pat.id}`, { cookie: admin.cookie }))
        .status,
    ).toBe(204);
    expect((await t.http.get('/devices', { bearer: v.pat.token })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: v.tokens.access_token })).status).toBe(200);
    expect(
      (await t.http.delete(`/admin/users/${v.victim.user.id}/credentials/oauth_grant/${grant.id}`, { cookie: admin.cookie })).status,
    ).toBe(204);
    expect((await t.http.get('/devices', { bearer: v.tokens.access_token })).status).toBe(401);
    expect((await t.http.get('/devices', { cookie: v.victim.cookie })).status).toBe(200);
    // Another user's credential id under this user is not found, not revoked.
    const other = await signedInUser(t);
    const otherPat = await createPat(t, other.cookie);
    expect(
      (await t.http.delete(`/admin/users/${v.victim.user.id}/credentials/personal_access_token/${otherPat.id}`, { cookie: admin.cookie }))
        .status,
    ).toBe(404);
    expect((await t.http.get('/devices', { bearer: otherPat.token })).status).toBe(200);
  });

  it('a non-admin’s PAT, and an admin’s PAT without the admin scope, get 403 on the admin API', async () => {
    const user = await signedInUser(t);
    const pat = await createPat(t, user.cookie, ['read:device']);
    const res = await t.http.get('/admin/users', { bearer: pat.token });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    const admin = await signedInAdmin(t);
    const narrow = await createPat(t, admin.cookie, ['read:device']);
    expect((await t.http.get('/admin/users', { bearer: narrow.token })).status).toBe(403);
    const wide = await createPat(t, admin.cookie, ['admin']);
    expect((await t.http.get('/admin/users', { bearer: wide.token })).status).toBe(200);
  });

  it('deleting a user deletes their PATs and grants with them', async () => {
    const admin = await signedInAdmin(t);
    const v = await userWithEverything();
    expect((await t.http.delete(`/admin/users/${v.victim.user.id}`, { cookie: admin.cookie })).status).toBe(204);
    await assertAllDead(v);
    for (const table of ['personal_access_tokens', 'authorization_grants', 'sessions']) {
      const [{ n }] = await rawQuery(t.dataSource, `SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`, [v.victim.user.id]);
      expect({ table, n: Number(n) }).toEqual({ table, n: 0 });
    }
  });

  it('the dashboard counts live tokens by kind and sign-ins of the last 24 hours', async () => {
    const admin = await signedInAdmin(t);
    await userWithEverything();
    const res = await t.http.get('/admin/dashboard', { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.body.users.total).toBeGreaterThanOrEqual(4);
    expect(res.body.users.activeAdmins).toBeGreaterThanOrEqual(1);
    for (const kind of ['session', 'personal_access_token', 'oauth_grant', 'oauth_access_token']) {
      expect(res.body.liveTokens[kind]).toBeGreaterThanOrEqual(1);
    }
    expect(res.body.clients).toBeGreaterThanOrEqual(1);
    expect(res.body.signInsLast24h.succeeded).toBeGreaterThanOrEqual(3);

    // The page names each kind for a person; the identifier stays in the title.
    const page = await t.http.get('/admin/ui', { cookie: admin.cookie, headers: { accept: 'text/html' } });
    expect(page.text).toContain('<dt title="personal_access_token">API keys</dt>');
    expect(page.text).toContain('<dt title="session">Browser sessions</dt>');
    expect(page.text).toMatch(/data-testid="live-oauth_access_token">[1-9]\d*</);
    expect(page.text).not.toContain('<dt title="oauth_grant">oauth_grant</dt>');
  });

  it("the user page's Credentials table names each kind by its registered label, not its identifier", async () => {
    const admin = await signedInAdmin(t);
    const v = await userWithEverything();
    const page = await t.http.get(`/admin/ui/users/${v.victim.user.id}`, { cookie: admin.cookie, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<td title="personal_access_token">API keys</td>');
    expect(page.text).toContain('<td title="oauth_grant">OAuth grants</td>');
    expect(page.text).not.toMatch(/<td>(personal_access_token|oauth_grant|session)<\/td>/);
  });
});
