import { ImpersonationToken } from '../../src/impersonation/impersonation-token.entity';
import { User } from '../../src/users/user.entity';
import { auditForTarget, detailsOf, signedInAdmin } from './support/admin.fixture';
import { createBot } from './support/bots.fixture';
import { followRedirect, revealedSecret } from './support/pages.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

const HTML = { accept: 'text/html' };

/** The server-rendered pages: Account → Bots, a bot's page, Admin → Bots, Admin → Impersonation. */
describe('bots and impersonation pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('Account → Bots: create a bot by form, mint a token shown once with a copy button, see it listed by hint only', async () => {
    const { cookie } = await signedInUser(t, { roles: ['user'] });
    const list = await t.http.get('/account/bots', { cookie, headers: HTML });
    expect(list.status).toBe(200);
    expect(list.text).toContain('Create a bot');
    const csrf = csrfFromPage(list.text);
    const created = await t.http.post('/account/bots/new', {
      cookie,
      form: { _csrf: csrf, name: 'Form bot', description: 'by form', roles: 'viewer' },
    });
    expect(created.status).toBe(303);
    const botPath = created.headers.get('location')!;
    expect(botPath).toMatch(/^\/account\/bots\/[0-9a-f-]{36}$/);
    const page = await t.http.get(botPath, { cookie, headers: HTML });
    expect(page.text).toContain('Form bot');
    expect(page.text).toContain('read:device');
    const minted = await t.http.post(`${botPath}/tokens/new`, {
      cookie,
      form: { _csrf: csrf, name: 'ci', scopes: 'read:device', expiresInDays: '30' },
    });
    // Post/Redirect/Get: the token rides to the bot's page once, in the sealed flash cookie.
    expect(minted.status).toBe(303);
    expect(minted.headers.get('location')).toBe(botPath);
    const shown = await followRedirect(t, minted, cookie);
    const token = revealedSecret(shown.text);
    expect(token).toMatch(/^ghbot_[0-9A-Za-z]{36}$/);
    expect(shown.text).toContain('data-copy-target="revealed-secret"');
    const again = await t.http.get(botPath, { cookie, headers: HTML });
    expect(again.text).not.toContain(token!);
    expect(again.text).toContain(`ghbot_…${token!.slice(-4)}`);
  });

  it('a refused form is re-shown with its reason (a non-admin giving admin)', async () => {
    const { cookie } = await signedInUser(t, { roles: ['user'] });
    const csrf = csrfFromPage((await t.http.get('/account/bots', { cookie, headers: HTML })).text);
    const res = await t.http.post('/account/bots/new', { cookie, form: { _csrf: csrf, name: 'x', roles: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toMatch(/admin role/);
  });

  it('Admin → Bots lists every bot and flags unmanaged ones', async () => {
    const manager = await signedInUser(t, { roles: ['user'] });
    const bot = await createBot(t, manager.cookie, { name: 'Orphan bot' });
    await t.dataSource.getRepository(User).delete({ id: manager.user.id });
    const admin = await signedInAdmin(t);
    const page = await t.http.get('/admin/ui/bots', { cookie: admin.cookie });
    expect(page.status).toBe(200);
    const row = new RegExp(`data-bot-id="${bot.id}"[\\s\\S]*?</tr>`).exec(page.text)?.[0] ?? '';
    expect(row).toContain('Orphan bot');
    expect(row).toContain('unmanaged');
    expect(page.text).toContain('href="/admin/ui/impersonation"');
    // Among users, the bot is marked as one, in the API and on its page.
    expect((await t.http.get(`/admin/users/${bot.id}`, { cookie: admin.cookie })).body.kind).toBe('bot');
    expect((await t.http.get(`/admin/ui/users/${bot.id}`, { cookie: admin.cookie })).text).toContain(`href="/account/bots/${bot.id}"`);
  });

  it('Admin → Impersonation: starts one with a reason (recorded), shows the token once, lists it live, and ends it', async () => {
    const admin = await signedInAdmin(t);
    const { user, email } = await createUser(t);
    const page = await t.http.get('/admin/ui/impersonation', { cookie: admin.cookie });
    const csrf = csrfFromPage(page.text);
    const noReason = await t.http.post('/admin/ui/impersonation', { cookie: admin.cookie, form: { _csrf: csrf, user: email } });
    expect(noReason.status).toBe(400);
    const started = await t.http.post('/admin/ui/impersonation', {
      cookie: admin.cookie,
      form: { _csrf: csrf, user: email, reason: 'ticket 7' },
    });
    expect(started.status).toBe(303);
    const token = revealedSecret((await followRedirect(t, started, admin.cookie)).text);
    expect(token).toMatch(/^ghimp_[0-9A-Za-z]{36}$/);
    expect((await t.http.get('/me', { bearer: token })).body.act).toEqual({ sub: admin.user.id });
    const row = await t.dataSource.getRepository(ImpersonationToken).findOneByOrFail({ subjectUserId: user.id });
    expect(row.reason).toBe('ticket 7');
    expect(detailsOf((await auditForTarget(t, user.id, 'impersonation.start'))[0]).reason).toBe('ticket 7');
    const live = await t.http.get('/admin/ui/impersonation', { cookie: admin.cookie });
    expect(live.text).toContain(`data-impersonation-id="${row.id}"`);
    expect(live.text).not.toContain(token!);
    const ended = await t.http.post(`/admin/ui/impersonation/${row.id}/revoke`, { cookie: admin.cookie, form: { _csrf: csrf } });
    expect(ended.status).toBe(303);
    expect((await t.http.get('/me', { bearer: token })).status).toBe(401);
    // An admin cannot be impersonated: shown as a refusal page.
    const other = await createUser(t, { roles: ['admin'] });
    const refused = await t.http.post('/admin/ui/impersonation', {
      cookie: admin.cookie,
      form: { _csrf: csrf, user: other.email, reason: 'nope' },
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Administrators cannot be impersonated');
  });

  it('admin credentials: a bot’s tokens and a user’s live impersonations are listed and revoked with the rest', async () => {
    const admin = await signedInAdmin(t);
    const manager = await signedInUser(t, { roles: ['user'] });
    const bot = await createBot(t, manager.cookie);
    const minted = await t.http.post(`/account/bots/${bot.id}/tokens`, {
      cookie: manager.cookie,
      json: { name: 'x', scopes: ['read:device'] },
    });
    const listed = await t.http.get(`/admin/users/${bot.id}/credentials`, { cookie: admin.cookie });
    expect(listed.body.items.map((c: { kind: string; id: string }) => `${c.kind}:${c.id}`)).toContain(`bot_token:${minted.body.id}`);
    const revoked = await t.http.post(`/admin/users/${bot.id}/revoke-credentials`, { cookie: admin.cookie });
    expect(revoked.body.bot_token).toBe(1);
    expect((await t.http.get('/devices', { bearer: minted.body.token })).status).toBe(401);
  });
});
