import { auditByActor, signedInAdmin } from './support/admin.fixture';
import { createClient } from './support/clients.fixture';
import { HTML } from './support/pages.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

describe('admin audit log by names (issue 15): emails and client names, actions in words, reads not row by row', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the page shows people by name and email (the id on hover) and actions in words', async () => {
    const admin = await signedInAdmin(t);
    const u = await signedInUser(t);
    const res = await t.http.get(`/admin/ui/audit?actor=${encodeURIComponent(u.email)}`, { cookie: admin.cookie, headers: HTML });
    expect(res.status).toBe(200);
    const row = /<tr data-action="auth\.login">([\s\S]*?)<\/tr>/.exec(res.text)![1];
    expect(row).toContain('<span title="auth.login">Signed in</span>');
    expect(row).toContain(`<span title="user ${u.user.id}">Test User &lt;${u.email}&gt;</span>`);
    expect(res.text).toContain(`value="${u.email}"`);
  });

  it('the actor filter takes an email: only that person’s events, on the page and the API; an unknown email matches nothing', async () => {
    const admin = await signedInAdmin(t);
    const u = await signedInUser(t);
    await signedInUser(t);
    const api = await t.http.get(`/admin/audit-events?actor=${encodeURIComponent(u.email.toUpperCase())}`, { cookie: admin.cookie });
    expect(api.status).toBe(200);
    expect(api.body.items.length).toBeGreaterThan(0);
    expect(api.body.items.every((e: { actorId: string }) => e.actorId === u.user.id)).toBe(true);
    const none = await t.http.get('/admin/audit-events?actor=nobody-at-all%40example.test', { cookie: admin.cookie });
    expect(none.body.items).toEqual([]);
  });

  it('the target filter takes a client name', async () => {
    const admin = await signedInAdmin(t);
    const owner = await signedInUser(t);
    const name = `Named ${Date.now()}`;
    const c = await createClient(t, owner.user, { name });
    await t.http.post(`/admin/clients/${c.clientId}/disable`, { cookie: admin.cookie });
    const res = await t.http.get(`/admin/audit-events?targetId=${encodeURIComponent(name)}`, { cookie: admin.cookie });
    expect(res.body.items.map((e: { action: string; targetId: string }) => `${e.action} ${e.targetId}`)).toEqual(
      expect.arrayContaining([`admin.client.disable ${c.clientId}`]),
    );
    const page = await t.http.get(`/admin/ui/audit?targetId=${encodeURIComponent(name)}`, { cookie: admin.cookie, headers: HTML });
    expect(page.text).toContain(`<span title="client ${c.clientId}">${name}</span>`);
  });

  it('the user and client pages list their recent events by name too, with the action in words', async () => {
    const admin = await signedInAdmin(t);
    const owner = await signedInUser(t);
    const c = await createClient(t, owner.user, { name: `Events ${Date.now()}` });
    await t.http.post(`/admin/users/${owner.user.id}/disable`, { cookie: admin.cookie });
    await t.http.post(`/admin/clients/${c.clientId}/disable`, { cookie: admin.cookie });
    const adminLabel = `<span title="user ${admin.user.id}">Test User &lt;${admin.email}&gt;</span>`;
    for (const path of [`/admin/ui/users/${owner.user.id}`, `/admin/ui/clients/${c.clientId}`]) {
      const page = await t.http.get(path, { cookie: admin.cookie, headers: HTML });
      expect(page.status).toBe(200);
      expect(page.text).toContain(adminLabel);
      expect(page.text).not.toMatch(/<code>user [0-9a-f-]{36}<\/code>/);
    }
    const userPage = await t.http.get(`/admin/ui/users/${owner.user.id}`, { cookie: admin.cookie, headers: HTML });
    expect(userPage.text).toContain('<span title="admin.user.disable">');
  });

  it('reading admin pages in a browser is not audited row by row; a change is', async () => {
    const admin = await signedInAdmin(t);
    const u = await signedInUser(t);
    await t.http.get('/admin/ui/users', { cookie: admin.cookie, headers: HTML });
    await t.http.get(`/admin/ui/users/${u.user.id}`, { cookie: admin.cookie, headers: HTML });
    await t.http.get('/admin/users', { cookie: admin.cookie });
    await t.http.post(`/admin/users/${u.user.id}/disable`, { cookie: admin.cookie });
    const actions = (await auditByActor(t, admin.user.id)).map((e) => e.action);
    expect(actions).not.toContain('admin.user.list');
    expect(actions).not.toContain('admin.user.view');
    expect(actions).toContain('admin.user.disable');
  });

  it('a refused filter shows an error page titled by what happened, with what was typed, and a way back keeping the good fields', async () => {
    const admin = await signedInAdmin(t);
    const res = await t.http.get('/admin/ui/audit?actor=someone%40example.test&from=next+tuesday', { cookie: admin.cookie, headers: HTML });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Please check what you entered · Gatehouse</title>');
    expect(res.text).toContain('<dt>from</dt><dd><code>next tuesday</code></dd>');
    expect(res.text).toContain('<dt>actor</dt><dd><code>someone@example.test</code></dd>');
    expect(res.text).toContain('href="/admin/ui/audit?actor&#x3D;someone%40example.test" data-testid="error-back"');
  });
});
