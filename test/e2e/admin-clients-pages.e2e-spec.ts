import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Client } from '../../src/clients/client.entity';
import { auditByActor, auditForTarget, detailsOf, signedInAdmin, SignedIn } from './support/admin.fixture';
import { basicAuth, createClient } from './support/clients.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { followRedirect, revealedSecret } from './support/pages.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

/** The admin's client pages over HTTP, signed in with an admin's session cookie. */
describe('admin pages: clients (/admin/ui/clients)', () => {
  let t: TestApp;
  let admin: SignedIn;
  let csrf: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedInAdmin(t);
    csrf = csrfFromPage((await t.http.get('/admin/ui/clients', { cookie: admin.cookie })).text);
  });
  afterAll(() => t.close());

  const page = (path: string) => t.http.get(`/admin/ui/clients${path}`, { cookie: admin.cookie });
  const post = (path: string, form: Record<string, string | string[]> = {}) =>
    t.http.post(`/admin/ui/clients${path}`, { cookie: admin.cookie, form: { _csrf: csrf, ...form } });
  const shownSecret = revealedSecret;
  /** Posts a form and follows its 303 to the client page, as a browser does (the secret rides in the flash cookie). */
  const postAndFollow = async (path: string, form: Record<string, string | string[]> = {}) => {
    const posted = await post(path, form);
    const shown = await followRedirect(t, posted, admin.cookie);
    return { ...shown, clientId: decodeURIComponent(/^\/admin\/ui\/clients\/([^/?]+)$/.exec(posted.headers.get('location')!)![1]) };
  };
  const tokenStatus = async (clientId: string, secret: string) =>
    (
      await t.http.post('/oauth/token', {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basicAuth(clientId, secret) },
      })
    ).status;
  const clientRow = (clientId: string) => t.dataSource.getRepository(Client).findOneBy({ clientId });
  /** The admin.* row this admin's last call wrote for `action`. */
  const adminRow = async (action: string) => (await auditByActor(t, admin.user.id, action)).at(-1);

  it('lists the clients with owner, type, status and creation time; linked from the admin navigation; audited', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user, { name: 'Listed app' });
    const res = await page('');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const row = new RegExp(`<tr data-client-id="${c.clientId}">([\\s\\S]*?)</tr>`).exec(res.text)![1];
    expect(row).toContain('Listed app');
    expect(row).toContain(owner.email);
    expect(row).toContain('confidential');
    expect(row).toContain('active');
    expect(row).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    expect(res.text).toContain('<a href="/admin/ui/clients" aria-current="page">Clients</a>');
    expect((await t.http.get('/admin/ui', { cookie: admin.cookie })).text).toContain('href="/admin/ui/clients"');
    // Reading pages is not audited row by row (issue 15); changes are.
    expect(await adminRow('admin.client.list')).toBeUndefined();
  });

  it('pages through the list, newest first, with limit and an opaque cursor', async () => {
    const owner = await createUser(t);
    const older = await createClient(t, owner.user);
    await new Promise((r) => setTimeout(r, 5));
    const newer = await createClient(t, owner.user);
    const first = await page('?limit=1');
    expect(first.text).toContain(`data-client-id="${newer.clientId}"`);
    expect(first.text).not.toContain(`data-client-id="${older.clientId}"`);
    const next = /href="\/admin\/ui\/clients(\?limit&#x3D;1&amp;cursor&#x3D;[A-Za-z0-9_-]+)" rel="next"/.exec(first.text);
    expect(next).not.toBeNull();
    const second = await page(next![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
    expect(second.text).toContain(`data-client-id="${older.clientId}"`);
    expect(second.text).not.toContain(`data-client-id="${newer.clientId}"`);
    expect((await page('?offset=1')).status).toBe(400);
    expect((await page('?limit=0')).status).toBe(400);
  });

  describe('create', () => {
    it('registers a confidential client for the owner and shows its secret once, with a copy button', async () => {
      const owner = await createUser(t);
      const res = await postAndFollow('', {
        ownerEmail: owner.email.toUpperCase(),
        name: 'Radon dashboard',
        type: 'confidential',
        redirectUris: 'https://app.example.com/cb\r\n\r\nhttp://127.0.0.1:8080/cb\r\n',
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
        scopes: ['read:device', 'write:device'],
      });
      expect(res.status).toBe(200);
      const clientId = res.clientId;
      const secret = shownSecret(res.text)!;
      expect(secret).toBeTruthy();
      expect(res.text).toContain('data-copy-target="revealed-secret"');
      expect(res.text).toContain('id="revealed-secret"');
      expect(res.headers.get('cache-control')).toBe('no-store');

      const row = (await clientRow(clientId))!;
      expect(row).toMatchObject({
        name: 'Radon dashboard',
        type: 'confidential',
        ownerId: owner.user.id,
        status: 'active',
        redirectUris: ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb'],
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
        allowedScopes: ['read:device', 'write:device'],
        introspectionAllowed: false,
      });
      expect(await tokenStatus(clientId, secret)).toBe(200);

      // Audited twice: the admin call and the client event, both about the new client, neither with the secret.
      const created = (await auditForTarget(t, clientId, 'admin.client.create'))[0];
      expect(created).toMatchObject({ actorId: admin.user.id, outcome: 'success', targetType: 'client' });
      expect(detailsOf(created)).toMatchObject({ ownerEmail: owner.email, name: 'Radon dashboard', type: 'confidential', status: 303 });
      expect(await auditForTarget(t, clientId, 'client.create')).toEqual([expect.objectContaining({ actorId: admin.user.id })]);
      const events = await t.dataSource.getRepository(AuditEvent).findBy({ targetId: clientId });
      expect(JSON.stringify(events)).not.toContain(secret);

      // Never shown again: the client page has only its hint, the list has nothing of it.
      const view = await page(`/${clientId}`);
      expect(view.status).toBe(200);
      expect(view.text).not.toContain(secret);
      expect(shownSecret(view.text)).toBeUndefined();
      expect(view.text).toMatch(/<tr data-testid="secret-row">[\s\S]*?current/);
      expect((await page('')).text).not.toContain(secret);
    });

    it('registers a public client (no secret shown) and an introspecting one', async () => {
      const owner = await createUser(t);
      const pub = await postAndFollow('', {
        ownerEmail: owner.email,
        name: 'CLI',
        type: 'public',
        redirectUris: 'http://127.0.0.1/cb',
        scopes: 'read:device',
      });
      expect(pub.status).toBe(200);
      expect(shownSecret(pub.text)).toBeUndefined();
      expect(pub.text).toContain('it has no secret');
      expect(await clientRow(pub.clientId)).toMatchObject({ type: 'public', grantTypes: ['authorization_code', 'refresh_token'] });

      const rs = await postAndFollow('', {
        ownerEmail: owner.email,
        name: 'Resource server',
        type: 'confidential',
        introspectionAllowed: 'on',
      });
      expect(rs.status).toBe(200);
      expect(await clientRow(rs.clientId)).toMatchObject({
        introspectionAllowed: true,
        grantTypes: ['client_credentials'],
        allowedScopes: [],
      });
    });

    it.each([
      [
        'a bad redirect URI',
        { redirectUris: 'http://evil.example/cb' },
        400,
        'redirect URI &quot;http://evil.example/cb&quot; must use https',
      ],
      ['a scope the owner does not hold', { scopes: 'admin' }, 400, 'The owner does not hold the scope: admin'],
      [
        'client_credentials for a public client',
        { type: 'public', redirectUris: 'https://a.example/cb', grantTypes: 'client_credentials' },
        400,
        'client_credentials needs a confidential client',
      ],
      ['an unknown grant type', { grantTypes: 'password' }, 400, 'grantTypes: each value in grantTypes must be one of'],
      ['no name', { name: '' }, 400, 'name: name must be longer than or equal to 1 characters'],
    ])('refuses %s: the reason on the page, a 4xx, nothing written but the failed admin call', async (_what, fields, status, message) => {
      const owner = await createUser(t);
      const name = `Refused ${Math.random()}`;
      const res = await post('', { ownerEmail: owner.email, name, type: 'confidential', ...fields });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toContain('data-testid="admin-error"');
      expect(res.text).toContain(message);
      expect(await t.dataSource.getRepository(Client).countBy({ ownerId: owner.user.id })).toBe(0);
      expect(await auditByActor(t, admin.user.id, 'client.create')).not.toContainEqual(
        expect.objectContaining({ details: expect.stringContaining(owner.user.id) }),
      );
      expect(await adminRow('admin.client.create')).toMatchObject({ outcome: 'failed', targetId: null });
    });

    it('refuses an owner email no user has', async () => {
      const res = await post('', { ownerEmail: 'nobody-at-all@example.test', name: 'Orphan', type: 'confidential' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('No user has the email nobody-at-all@example.test');
      expect(await t.dataSource.getRepository(Client).countBy({ name: 'Orphan' })).toBe(0);
      expect(detailsOf((await adminRow('admin.client.create'))!)).toMatchObject({ ownerEmail: 'nobody-at-all@example.test', status: 400 });
    });
  });

  it('shows one client: id, owner, redirect URIs, grant types, scopes, its secrets’ state and its events; audited', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user, { redirectUris: ['https://v.example/cb'], scopes: ['read:device'] });
    const res = await page(`/${c.clientId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<code data-testid="client-id">${c.clientId}</code>`);
    expect(res.text).toContain(`<a href="/admin/ui/users/${owner.user.id}">${owner.email}</a>`);
    expect(res.text).toContain('<code>https://v.example/cb</code>');
    expect(res.text).toContain('<code>authorization_code</code>');
    expect(res.text).toContain('<code>read:device</code>');
    expect(res.text).toContain('data-testid="client-status">active<');
    expect(res.text).toContain('/rotate-secret"');
    expect(res.text).toMatch(/action="\/admin\/ui\/clients\/[^"]+\/delete" class="inline" data-confirm="/);
    expect(await auditForTarget(t, c.clientId, 'admin.client.view')).toEqual([]);

    const missing = await page('/ghc_nosuchclient');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Client not found');
  });

  it('disables and enables a client: 303 back to it, its secret stops and works again; audited', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user);
    const off = await post(`/${c.clientId}/disable`);
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe(`/admin/ui/clients/${c.clientId}?done=disabled`);
    expect((await clientRow(c.clientId))!.status).toBe('disabled');
    expect(await tokenStatus(c.clientId, c.secret!)).toBe(401);
    const shown = await page(`/${c.clientId}?done=disabled`);
    expect(shown.text).toContain('Client disabled');
    expect(shown.text).toContain('data-testid="client-status">disabled<');

    const on = await post(`/${c.clientId}/enable`);
    expect(on.status).toBe(303);
    expect(on.headers.get('location')).toBe(`/admin/ui/clients/${c.clientId}?done=enabled`);
    expect((await clientRow(c.clientId))!.status).toBe('active');
    expect(await tokenStatus(c.clientId, c.secret!)).toBe(200);

    const actions = (await auditForTarget(t, c.clientId)).filter((e) => e.actorId === admin.user.id).map((e) => `${e.action} ${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'admin.client.disable success',
        'client.disable success',
        'admin.client.enable success',
        'client.enable success',
      ]),
    );
  });

  describe('rotate secret', () => {
    it('with a grace period: the new secret is shown once, the old one keeps working until the grace ends', async () => {
      const owner = await createUser(t);
      const c = await createClient(t, owner.user);
      const res = await postAndFollow(`/${c.clientId}/rotate-secret`);
      expect(res.status).toBe(200);
      const secret = shownSecret(res.text)!;
      expect(secret).toBeTruthy();
      expect(secret).not.toBe(c.secret);
      expect(res.text).toContain('data-copy-target="revealed-secret"');
      expect(res.text).toContain('The previous secret works until');
      expect(await tokenStatus(c.clientId, secret)).toBe(200);
      expect(await tokenStatus(c.clientId, c.secret!)).toBe(200);

      const view = await page(`/${c.clientId}`);
      expect(view.text).not.toContain(secret);
      expect(view.text.match(/data-testid="secret-row"/g)).toHaveLength(2);
      expect(view.text).toContain('old: works until');

      const rotated = (await auditForTarget(t, c.clientId, 'admin.client.rotate_secret'))[0];
      expect(rotated).toMatchObject({ actorId: admin.user.id, outcome: 'success' });
      expect(detailsOf(rotated)).toMatchObject({ revokeOld: false, graceEndsAt: expect.any(String) });
      expect(await auditForTarget(t, c.clientId, 'client.secret_rotate')).toHaveLength(1);
      expect(JSON.stringify(await auditForTarget(t, c.clientId))).not.toContain(secret);
    });

    it('revoking now: the old secret stops at once', async () => {
      const owner = await createUser(t);
      const c = await createClient(t, owner.user);
      const res = await postAndFollow(`/${c.clientId}/rotate-secret`, { revokeOld: 'on' });
      expect(res.status).toBe(200);
      const secret = shownSecret(res.text)!;
      expect(res.text).not.toContain('The previous secret works');
      expect(await tokenStatus(c.clientId, c.secret!)).toBe(401);
      expect(await tokenStatus(c.clientId, secret)).toBe(200);
      expect((await page(`/${c.clientId}`)).text.match(/data-testid="secret-row"/g)).toHaveLength(1);
      expect(detailsOf((await auditForTarget(t, c.clientId, 'admin.client.rotate_secret'))[0])).toMatchObject({
        revokeOld: true,
        graceEndsAt: null,
      });
    });

    it('refuses a public client (no secret) on the page', async () => {
      const owner = await createUser(t);
      const c = await createClient(t, owner.user, { type: 'public', redirectUris: ['https://p.example/cb'] });
      const res = await post(`/${c.clientId}/rotate-secret`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('A public client has no secret');
      expect((await auditForTarget(t, c.clientId, 'admin.client.rotate_secret'))[0]).toMatchObject({ outcome: 'failed' });
    });
  });

  it('deletes a client: 303 to the list, its secret stops; audited', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user, { name: 'Doomed' });
    const res = await post(`/${c.clientId}/delete`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/ui/clients');
    expect(await clientRow(c.clientId)).toBeNull();
    expect(await tokenStatus(c.clientId, c.secret!)).toBe(401);
    const deleted = (await auditForTarget(t, c.clientId, 'admin.client.delete'))[0];
    expect(deleted).toMatchObject({ actorId: admin.user.id, outcome: 'success' });
    expect(detailsOf(deleted)).toMatchObject({ name: 'Doomed', ownerId: owner.user.id });
    expect(await auditForTarget(t, c.clientId, 'client.delete')).toHaveLength(1);
    expect((await page(`/${c.clientId}`)).status).toBe(404);
  });

  it('requires the CSRF token on every form', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user);
    const forms: [string, Record<string, string>][] = [
      ['', { ownerEmail: owner.email, name: 'No token', type: 'confidential' }],
      [`/${c.clientId}/disable`, {}],
      [`/${c.clientId}/rotate-secret`, { revokeOld: 'on' }],
      [`/${c.clientId}/delete`, {}],
    ];
    for (const [path, form] of forms) {
      for (const token of [undefined, 'forged']) {
        const res = await t.http.post(`/admin/ui/clients${path}`, {
          cookie: admin.cookie,
          form: { ...form, ...(token ? { _csrf: token } : {}) },
        });
        expect({ path, token, status: res.status, error: res.body?.error }).toEqual({ path, token, status: 403, error: 'csrf_failed' });
      }
    }
    expect(await clientRow(c.clientId)).toMatchObject({ status: 'active' });
    expect(await tokenStatus(c.clientId, c.secret!)).toBe(200);
    expect(await t.dataSource.getRepository(Client).countBy({ ownerId: owner.user.id })).toBe(1);
  });

  it('is for admins only: a signed-in user gets 403 and changes nothing', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user);
    const user = await signedInUser(t);
    const userCsrf = csrfFromPage((await t.http.get('/account/tokens', { cookie: user.cookie, headers: { accept: 'text/html' } })).text);
    expect((await t.http.get('/admin/ui/clients', { cookie: user.cookie })).status).toBe(403);
    const res = await t.http.post(`/admin/ui/clients/${c.clientId}/delete`, { cookie: user.cookie, form: { _csrf: userCsrf } });
    expect(res.status).toBe(403);
    expect(await clientRow(c.clientId)).not.toBeNull();
  });
});
