import { LastAdminError } from '../../src/users/last-admin.error';
import { UserLifecycleService } from '../../src/users/user-lifecycle.service';
import { UsersService } from '../../src/users/users.service';
import { auditForTarget, signedInAdmin, startIsolatedTestApp } from './support/admin.fixture';
import type { TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

/**
 * The last active admin cannot be disabled, demoted or deleted. Runs on a database of its own
 * (see startIsolatedTestApp) because "last" is a fact about every user in it.
 */
describe('admin: the last-admin guard', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startIsolatedTestApp();
  });
  afterAll(() => t.close());

  /** Leaves exactly the given admin active: every other admin is disabled. */
  async function makeSoleAdmin(adminId: string): Promise<void> {
    const others: { id: string }[] = await t.dataSource.query("SELECT id FROM users WHERE status = 'active' AND roles LIKE '%admin%'");
    for (const o of others) if (o.id !== adminId) await t.get<UsersService>(UsersService).setStatus(o.id, 'disabled');
  }

  it('an admin bot does not count: the last person who is an admin still cannot be demoted', async () => {
    const admin = await signedInAdmin(t);
    await makeSoleAdmin(admin.user.id);
    const bot = await t.http.post('/account/bots', { cookie: admin.cookie, json: { name: 'Admin automation', roles: ['admin'] } });
    expect(bot.status).toBe(201);
    const res = await t.http.request('PUT', `/admin/users/${admin.user.id}/roles`, { cookie: admin.cookie, json: { roles: ['user'] } });
    expect(res.status).toBe(409);
  });

  it('refuses to disable, demote or delete the last active admin (409, clear message), and audits each refusal', async () => {
    const admin = await signedInAdmin(t);
    await makeSoleAdmin(admin.user.id);
    const id = admin.user.id;
    const attempts = [
      await t.http.post(`/admin/users/${id}/disable`, { cookie: admin.cookie }),
      await t.http.request('PUT', `/admin/users/${id}/roles`, { cookie: admin.cookie, json: { roles: ['user'] } }),
      await t.http.delete(`/admin/users/${id}`, { cookie: admin.cookie }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('conflict');
      expect(res.body.message).toMatch(
        /is the last active admin and cannot be (disabled|demoted|deleted)\. Make another user an admin first\./,
      );
    }
    const user = await t.get<UsersService>(UsersService).findById(id);
    expect(user).toMatchObject({ status: 'active', roles: ['admin'] });
    const rows = await auditForTarget(t, id);
    expect(
      rows
        .filter((r) => r.outcome === 'failed' && r.action.startsWith('admin.user.'))
        .map((r) => r.action)
        .sort(),
    ).toEqual(['admin.user.delete', 'admin.user.disable', 'admin.user.set_roles']);
  });

  it('allows a role change that keeps admin, and the change once another admin exists', async () => {
    const admin = await signedInAdmin(t);
    await makeSoleAdmin(admin.user.id);
    const keep = await t.http.request('PUT', `/admin/users/${admin.user.id}/roles`, {
      cookie: admin.cookie,
      json: { roles: ['admin', 'viewer'] },
    });
    expect(keep.status).toBe(200);
    const second = await createUser(t, { roles: ['admin'] });
    const demote = await t.http.request('PUT', `/admin/users/${admin.user.id}/roles`, { cookie: admin.cookie, json: { roles: ['user'] } });
    expect(demote.status).toBe(200);
    // The demoted admin's own session lost the admin scope on the very next request.
    expect((await t.http.get('/admin/users', { cookie: admin.cookie })).status).toBe(403);
    expect((await t.get<UsersService>(UsersService).findById(second.user.id))?.status).toBe('active');
  });

  it('does not count a disabled admin: disabling the only other active admin is refused', async () => {
    const admin = await signedInAdmin(t);
    const other = await createUser(t, { roles: ['admin'] });
    await makeSoleAdmin(admin.user.id);
    // `other` is a disabled admin now; the signed-in admin is the last active one.
    const res = await t.http.post(`/admin/users/${admin.user.id}/disable`, { cookie: admin.cookie });
    expect(res.status).toBe(409);
    expect((await t.http.post(`/admin/users/${other.user.id}/enable`, { cookie: admin.cookie })).status).toBe(200);
    expect((await t.http.post(`/admin/users/${admin.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
  });

  it('two admins demoting each other at the same moment: exactly one succeeds', async () => {
    const a = await signedInAdmin(t);
    const b = await signedInAdmin(t);
    await makeSoleAdmin(a.user.id);
    await t.get<UsersService>(UsersService).setStatus(b.user.id, 'active');
    // Straight at the service, so both transactions really overlap (over HTTP the second
    // request may already find its own admin role gone and get a 403 instead).
    const admins = t.get<UserLifecycleService>(UserLifecycleService);
    const results = await Promise.allSettled([admins.setRoles(b.user.id, ['user']), admins.setRoles(a.user.id, ['user'])]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(LastAdminError);
    const users = t.get<UsersService>(UsersService);
    const roles = [(await users.findById(a.user.id))!.roles, (await users.findById(b.user.id))!.roles];
    expect(roles.filter((r) => r.includes('admin'))).toHaveLength(1);
  });

  it('shows the refusal on the admin page with its reason', async () => {
    const admin = await signedInAdmin(t);
    await makeSoleAdmin(admin.user.id);
    const page = await t.http.get(`/admin/ui/users/${admin.user.id}`, { cookie: admin.cookie });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.http.post(`/admin/ui/users/${admin.user.id}/delete`, { cookie: admin.cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(409);
    expect(res.text).toContain('is the last active admin and cannot be deleted');
    expect(await t.get<UsersService>(UsersService).findById(admin.user.id)).not.toBeNull();
  });
});
