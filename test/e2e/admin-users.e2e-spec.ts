import { rawQuery } from '../support/shared-database';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { auditByActor, auditForTarget, detailsOf, signedInAdmin } from './support/admin.fixture';
import { startTestApp, TestApp, uniqueEmail } from './support/test-app';
import { createUser, signIn, signedInUser } from './support/users.fixture';

const NEW_PASSWORD = 'a brand new long password';

describe('admin users API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('list and search', () => {
    it('finds users by a substring of email or name, case-insensitively, and pages with a cursor', async () => {
      const admin = await signedInAdmin(t);
      const tag = uniqueEmail('srch').split('@')[0];
      for (let i = 0; i < 3; i++) await createUser(t, { email: `${tag}-${i}@example.test`, displayName: `Person ${i}` });
      await createUser(t, { displayName: `Named ${tag.toUpperCase()}` });

      const first = await t.http.get(`/admin/users?q=${tag.toUpperCase()}&limit=3`, { cookie: admin.cookie });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(3);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect(first.body.items[0]).not.toHaveProperty('passwordHash');
      const second = await t.http.get(`/admin/users?q=${tag}&limit=3&cursor=${first.body.nextCursor}`, { cookie: admin.cookie });
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const all = [...first.body.items, ...second.body.items].map((u: { email: string }) => u.email);
      expect(new Set(all).size).toBe(4);
    });

    it('treats LIKE wildcards in the search as literal text', async () => {
      const admin = await signedInAdmin(t);
      const res = await t.http.get('/admin/users?q=%25_%25', { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('filters by status and role', async () => {
      const admin = await signedInAdmin(t);
      const tag = uniqueEmail('flt').split('@')[0];
      const viewer = await createUser(t, { email: `${tag}-v@example.test`, roles: ['viewer'] });
      const off = await createUser(t, { email: `${tag}-d@example.test` });
      await t.get<UsersService>(UsersService).setStatus(off.user.id, 'disabled');
      const viewers = await t.http.get(`/admin/users?q=${tag}&role=viewer`, { cookie: admin.cookie });
      expect(viewers.body.items.map((u: { id: string }) => u.id)).toEqual([viewer.user.id]);
      const disabled = await t.http.get(`/admin/users?q=${tag}&status=disabled`, { cookie: admin.cookie });
      expect(disabled.body.items.map((u: { id: string }) => u.id)).toEqual([off.user.id]);
    });

    it('answers bad input with 400, never 500', async () => {
      const admin = await signedInAdmin(t);
      for (const q of ['limit=0', 'limit=abc', 'status=gone', 'role=root', 'cursor=not-a-cursor']) {
        const res = await t.http.get(`/admin/users?${q}`, { cookie: admin.cookie });
        expect([q, res.status]).toEqual([q, 400]);
      }
      expect((await t.http.get('/admin/users/not-a-uuid', { cookie: admin.cookie })).status).toBe(400);
      expect((await t.http.get('/admin/users/00000000-0000-4000-8000-000000000000', { cookie: admin.cookie })).status).toBe(404);
    });
  });

  describe('create', () => {
    it('creates a user who can sign in, and audits it with the new id', async () => {
      const admin = await signedInAdmin(t);
      const email = uniqueEmail('new');
      const res = await t.http.post('/admin/users', {
        cookie: admin.cookie,
        json: { email, displayName: 'New Person', password: NEW_PASSWORD, roles: ['viewer'] },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, displayName: 'New Person', status: 'active', roles: ['viewer'] });
      await expect(signIn(t, email, NEW_PASSWORD)).resolves.toContain('=');
      const [row] = await auditByActor(t, admin.user.id, 'admin.user.create');
      expect(row).toMatchObject({ outcome: 'success', targetType: 'user', targetId: res.body.id, credentialKind: 'session' });
      expect(detailsOf(row)).toMatchObject({ email, roles: ['viewer'] });
      expect(row.details).not.toContain(NEW_PASSWORD);
    });

    it('refuses a duplicate email with 409, a short password and an unknown role with 400', async () => {
      const admin = await signedInAdmin(t);
      const existing = await createUser(t);
      const dup = await t.http.post('/admin/users', {
        cookie: admin.cookie,
        json: { email: existing.email.toUpperCase(), displayName: 'Dup', password: NEW_PASSWORD, roles: ['user'] },
      });
      expect(dup.status).toBe(409);
      const bad = await t.http.post('/admin/users', {
        cookie: admin.cookie,
        json: { email: 'nope', displayName: '', password: 'short', roles: ['root'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['displayName', 'email', 'password', 'roles']);
      const rows = await auditByActor(t, admin.user.id, 'admin.user.create');
      expect(rows.map((r) => r.outcome)).toEqual(['failed', 'failed']);
    });
  });

  describe('disable and enable', () => {
    it('disabling ends the user’s session at once; enabling lets them sign in again', async () => {
      const admin = await signedInAdmin(t);
      const victim = await signedInUser(t);
      expect((await t.http.get('/account/sessions', { cookie: victim.cookie, headers: { accept: 'application/json' } })).status).toBe(200);

      const res = await t.http.post(`/admin/users/${victim.user.id}/disable`, { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('disabled');
      expect((await t.http.get('/account/sessions', { cookie: victim.cookie, headers: { accept: 'application/json' } })).status).toBe(401);
      expect(await t.get<SessionsService>(SessionsService).listActiveForUser(victim.user.id)).toEqual([]);
      await expect(signIn(t, victim.email)).rejects.toThrow(/401/);

      const [row] = await auditForTarget(t, victim.user.id, 'admin.user.disable');
      expect(row).toMatchObject({ actorId: admin.user.id, outcome: 'success', targetType: 'user' });
      expect(detailsOf(row).sessionsRevoked).toBe(1);

      expect((await t.http.post(`/admin/users/${victim.user.id}/enable`, { cookie: admin.cookie })).body.status).toBe('active');
      await expect(signIn(t, victim.email)).resolves.toContain('=');
      expect(await auditForTarget(t, victim.user.id, 'admin.user.enable')).toHaveLength(1);
    });
  });

  describe('roles', () => {
    it('changes roles, which take effect on the user’s next request, and audits before and after', async () => {
      const admin = await signedInAdmin(t);
      const other = await signedInUser(t);
      expect((await t.http.get('/admin/users', { cookie: other.cookie })).status).toBe(403);
      const res = await t.http.request('PUT', `/admin/users/${other.user.id}/roles`, {
        cookie: admin.cookie,
        json: { roles: ['admin', 'user'] },
      });
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(['admin', 'user']);
      expect((await t.http.get('/admin/users', { cookie: other.cookie })).status).toBe(200);
      const [row] = await auditForTarget(t, other.user.id, 'admin.user.set_roles');
      expect(detailsOf(row)).toMatchObject({ before: ['user'], after: ['admin', 'user'] });
    });

    it('refuses an empty or unknown role list with 400', async () => {
      const admin = await signedInAdmin(t);
      const other = await createUser(t);
      for (const roles of [[], ['root'], 'user']) {
        const res = await t.http.request('PUT', `/admin/users/${other.user.id}/roles`, { cookie: admin.cookie, json: { roles } });
        expect(res.status).toBe(roles === 'user' ? 200 : 400);
      }
    });
  });

  describe('reset password', () => {
    it('sets the given password and signs the user out everywhere', async () => {
      const admin = await signedInAdmin(t);
      const victim = await signedInUser(t);
      const res = await t.http.post(`/admin/users/${victim.user.id}/reset-password`, {
        cookie: admin.cookie,
        json: { password: NEW_PASSWORD },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sessionsRevoked: 1, temporaryPassword: null });
      expect((await t.http.get('/account/sessions', { cookie: victim.cookie, headers: { accept: 'application/json' } })).status).toBe(401);
      await expect(signIn(t, victim.email)).rejects.toThrow(/401/);
      await expect(signIn(t, victim.email, NEW_PASSWORD)).resolves.toContain('=');
      const [row] = await auditForTarget(t, victim.user.id, 'admin.user.reset_password');
      expect(row.details).not.toContain(NEW_PASSWORD);
    });

    it('generates a temporary password when none is given, shown once and never audited', async () => {
      const admin = await signedInAdmin(t);
      const victim = await createUser(t);
      const res = await t.http.post(`/admin/users/${victim.user.id}/reset-password`, { cookie: admin.cookie, json: {} });
      expect(res.status).toBe(200);
      expect(res.body.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      await expect(signIn(t, victim.email, res.body.temporaryPassword)).resolves.toContain('=');
      const [row] = await auditForTarget(t, victim.user.id, 'admin.user.reset_password');
      expect(row.details).not.toContain(res.body.temporaryPassword);
    });
  });

  describe('delete', () => {
    it('deletes the user and their sessions with them', async () => {
      const admin = await signedInAdmin(t);
      const victim = await signedInUser(t);
      const res = await t.http.delete(`/admin/users/${victim.user.id}`, { cookie: admin.cookie });
      expect(res.status).toBe(204);
      expect(await t.get<UsersService>(UsersService).findById(victim.user.id)).toBeNull();
      const [{ n }] = await rawQuery(t.dataSource, 'SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [victim.user.id]);
      expect(Number(n)).toBe(0);
      expect((await t.http.get('/account/sessions', { cookie: victim.cookie, headers: { accept: 'application/json' } })).status).toBe(401);
      expect((await t.http.delete(`/admin/users/${victim.user.id}`, { cookie: admin.cookie })).status).toBe(404);
      const [row] = await auditForTarget(t, victim.user.id, 'admin.user.delete');
      expect(detailsOf(row)).toMatchObject({ email: victim.email });
    });
  });

  describe('credentials', () => {
    it('lists a user’s live sessions, revokes one, then everything', async () => {
      const admin = await signedInAdmin(t);
      const victim = await signedInUser(t);
      const second = await signIn(t, victim.email);
      const list = await t.http.get(`/admin/users/${victim.user.id}/credentials`, { cookie: admin.cookie });
      expect(list.status).toBe(200);
      const sessions = list.body.items.filter((c: { kind: string }) => c.kind === 'session');
      expect(sessions).toHaveLength(2);

      const one = await t.http.delete(`/admin/users/${victim.user.id}/credentials/session/${sessions[0].id}`, { cookie: admin.cookie });
      expect(one.status).toBe(204);
      const again = await t.http.delete(`/admin/users/${victim.user.id}/credentials/session/${sessions[0].id}`, { cookie: admin.cookie });
      expect(again.status).toBe(404);
      expect(
        (await t.http.delete(`/admin/users/${victim.user.id}/credentials/nope/${sessions[1].id}`, { cookie: admin.cookie })).status,
      ).toBe(404);

      const all = await t.http.post(`/admin/users/${victim.user.id}/revoke-credentials`, { cookie: admin.cookie });
      expect(all.status).toBe(200);
      expect(all.body.session).toBe(1);
      for (const cookie of [victim.cookie, second])
        expect((await t.http.get('/account/sessions', { cookie, headers: { accept: 'application/json' } })).status).toBe(401);
      const rows = await auditForTarget(t, victim.user.id);
      expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(
        expect.arrayContaining([
          'admin.user.revoke_credential:success',
          'admin.user.revoke_credential:denied',
          'admin.user.revoke_all:success',
        ]),
      );
    });
  });
});
