import { hashToken } from '../../src/auth/token-format';
import { TOKEN_EXCHANGE_GRANT } from '../../src/clients/client-types';
import { ImpersonationToken } from '../../src/impersonation/impersonation-token.entity';
import { User } from '../../src/users/user.entity';
import { auditByActor, auditForTarget, detailsOf, signedInAdmin } from './support/admin.fixture';
import { createBot } from './support/bots.fixture';
import { basicAuth, createClient, TestClient } from './support/clients.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const USER_ID_TYPE = 'urn:gatehouse:params:oauth:token-type:user-id';

/** Support impersonation through RFC 8693 token exchange, with `act` (issue 14). */
describe('RFC 8693 token exchange (impersonation)', () => {
  let t: TestApp;
  let client: TestClient;
  let rs: TestClient;
  let admin: Awaited<ReturnType<typeof signedInAdmin>>;
  let actorToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    const owner = await createUser(t, { roles: ['admin'] });
    client = await createClient(t, owner.user, { grantTypes: [TOKEN_EXCHANGE_GRANT], scopes: ['read:device', 'write:device'] });
    rs = await createClient(t, owner.user, { introspectionAllowed: true });
    admin = await signedInAdmin(t);
    actorToken = (await createPat(t, admin.cookie, ['impersonate', 'read:device'])).token;
  });
  afterAll(() => t.close());

  const exchange = (params: Record<string, string>, c: TestClient = client) =>
    t.http.post('/oauth/token', {
      form: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token_type: USER_ID_TYPE,
        actor_token: actorToken,
        actor_token_type: ACCESS_TOKEN_TYPE,
        ...params,
      },
      headers: { authorization: basicAuth(c.clientId, c.secret!) },
    });
  const introspect = (token: string) =>
    t.http.post('/oauth/introspect', { form: { token }, headers: { authorization: basicAuth(rs.clientId, rs.secret!) } });

  it('RFC 8693 §2.2.1: issues a short-lived access token for the user: issued_token_type, no refresh_token, no-store', async () => {
    const { user } = await createUser(t);
    const res = await exchange({ subject_token: user.id, scope: 'read:device', reason: 'ticket 42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^ghimp_[0-9A-Za-z]{36}$/),
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'read:device',
    });
    const row = await t.dataSource.getRepository(ImpersonationToken).findOneByOrFail({ tokenHash: hashToken(res.body.access_token) });
    expect(row).toMatchObject({ subjectUserId: user.id, actorUserId: admin.user.id, clientId: client.clientId, reason: 'ticket 42' });
  });

  it('RFC 8693 §4.1: the token acts as the user; introspection returns act; audit rows show the user and the acting admin', async () => {
    const { user } = await createUser(t);
    const { access_token } = (await exchange({ subject_token: user.id })).body;
    const created = await t.http.post('/devices', { bearer: access_token, json: { name: 'Fixed by support' } });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBe(user.id);
    const me = await t.http.get('/me', { bearer: access_token });
    expect(me.status).toBe(200);
    expect(me.body.act).toEqual({ sub: admin.user.id });
    const info = await introspect(access_token);
    expect(info.body).toMatchObject({
      active: true,
      sub: user.id,
      act: { sub: admin.user.id },
      client_id: client.clientId,
      token_type: 'Bearer',
    });
    expect(info.body.exp - info.body.iat).toBe(900);
    const rows = (await auditByActor(t, user.id)).filter((e) => e.credentialKind === 'impersonation');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(detailsOf(row).act).toEqual({ sub: admin.user.id });
    const start = await auditForTarget(t, user.id, 'impersonation.start');
    expect(start[0]).toMatchObject({ actorId: admin.user.id, outcome: 'success' });
    expect(detailsOf(start[0])).toMatchObject({ act: { sub: admin.user.id }, actorName: admin.user.displayName });
  });

  it('the user sees "An administrator (name) acted on your account" in their security events', async () => {
    const person = await signedInUser(t);
    expect((await exchange({ subject_token: person.user.id })).status).toBe(200);
    const events = await t.http.get('/account/security-events', { cookie: person.cookie });
    const event = events.body.items.find((e: { action: string }) => e.action === 'impersonation.start');
    expect(event).toMatchObject({ by: 'an administrator', summary: `An administrator (${admin.user.displayName}) acted on your account` });
  });

  it('discovery lists the grant type (RFC 8414 grant_types_supported)', async () => {
    const res = await t.http.get('/.well-known/oauth-authorization-server');
    expect(res.body.grant_types_supported).toContain(TOKEN_EXCHANGE_GRANT);
  });

  describe('RFC 8693 §2.2.2 refusals', () => {
    const expectError = async (res: { status: number; body: { error: string } }, error: string) => {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(error);
    };

    it('invalid_request: an admin as subject, oneself, a disabled user, a bot, an unknown id', async () => {
      const otherAdmin = await createUser(t, { roles: ['admin'] });
      await expectError(await exchange({ subject_token: otherAdmin.user.id }), 'invalid_request');
      await expectError(await exchange({ subject_token: admin.user.id }), 'invalid_request');
      const disabled = await createUser(t);
      await t.dataSource.getRepository(User).update({ id: disabled.user.id }, { status: 'disabled' });
      await expectError(await exchange({ subject_token: disabled.user.id }), 'invalid_request');
      const manager = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, manager.cookie);
      await expectError(await exchange({ subject_token: bot.id }), 'invalid_request');
      await expectError(await exchange({ subject_token: '00000000-0000-4000-8000-000000000000' }), 'invalid_request');
    });

    it('invalid_request: an actor without impersonate (a person, or an admin PAT without the scope)', async () => {
      const { user } = await createUser(t);
      const person = await signedInUser(t, { roles: ['user'] });
      const theirs = (await createPat(t, person.cookie, ['read:device'])).token;
      await expectError(await exchange({ subject_token: user.id, actor_token: theirs }), 'invalid_request');
      const narrow = (await createPat(t, admin.cookie, ['read:device'])).token;
      const res = await exchange({ subject_token: user.id, actor_token: narrow });
      await expectError(res, 'invalid_request');
      expect(res.body.error_description).toMatch(/impersonate/);
    });

    it('invalid_request: missing or unknown actor_token, wrong token types, unsupported requested_token_type', async () => {
      const { user } = await createUser(t);
      await expectError(await exchange({ subject_token: user.id, actor_token: '' }), 'invalid_request');
      await expectError(await exchange({ subject_token: user.id, actor_token: 'ghpat_nope' }), 'invalid_request');
      await expectError(await exchange({ subject_token: user.id, subject_token_type: ACCESS_TOKEN_TYPE }), 'invalid_request');
      await expectError(
        await exchange({ subject_token: user.id, actor_token_type: 'urn:ietf:params:oauth:token-type:jwt' }),
        'invalid_request',
      );
      await expectError(
        await exchange({ subject_token: user.id, requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }),
        'invalid_request',
      );
      await expectError(await exchange({ subject_token_type: USER_ID_TYPE }), 'invalid_request');
    });

    it('invalid_target: resource or audience; invalid_scope: a scope the user or client lacks', async () => {
      const { user } = await createUser(t, { roles: ['viewer'] });
      await expectError(await exchange({ subject_token: user.id, audience: 'https://elsewhere.example' }), 'invalid_target');
      await expectError(await exchange({ subject_token: user.id, resource: 'https://elsewhere.example/api' }), 'invalid_target');
      await expectError(await exchange({ subject_token: user.id, scope: 'write:device' }), 'invalid_scope');
      await expectError(await exchange({ subject_token: user.id, scope: 'impersonate' }), 'invalid_scope');
    });

    it('unauthorized_client: a client not allowed the grant', async () => {
      const owner = await createUser(t, { roles: ['admin'] });
      const other = await createClient(t, owner.user, { grantTypes: ['client_credentials'] });
      const { user } = await createUser(t);
      await expectError(await exchange({ subject_token: user.id }, other), 'unauthorized_client');
    });
  });

  it('the token stops at once when an admin revokes it, and when the acting admin loses the admin role', async () => {
    const { user } = await createUser(t);
    const first = (await exchange({ subject_token: user.id })).body.access_token;
    const row = await t.dataSource.getRepository(ImpersonationToken).findOneByOrFail({ tokenHash: hashToken(first) });
    const other = await signedInAdmin(t);
    const live = await t.http.get('/admin/impersonations', { cookie: other.cookie });
    expect(live.body.items.map((i: { id: string }) => i.id)).toContain(row.id);
    expect((await t.http.delete(`/admin/impersonations/${row.id}`, { cookie: other.cookie })).status).toBe(204);
    expect((await t.http.get('/devices', { bearer: first })).status).toBe(401);
    // A second admin's impersonation ends when they stop being an admin.
    const actor = await signedInAdmin(t);
    const pat = (await createPat(t, actor.cookie, ['impersonate'])).token;
    const second = (await exchange({ subject_token: user.id, actor_token: pat })).body.access_token;
    expect((await t.http.get('/devices', { bearer: second })).status).toBe(200);
    await t.dataSource.getRepository(User).update({ id: actor.user.id }, { roles: ['user'] });
    expect((await t.http.get('/devices', { bearer: second })).status).toBe(401);
  });

  it('lifetime: IMPERSONATION_TOKEN_TTL_MINUTES sets it, and more than 60 minutes is refused at start-up', async () => {
    await expect(startTestApp({ IMPERSONATION_TOKEN_TTL_MINUTES: '61' })).rejects.toThrow(/IMPERSONATION_TOKEN_TTL_MINUTES/);
    const t2 = await startTestApp({ IMPERSONATION_TOKEN_TTL_MINUTES: '60' });
    try {
      const owner = await createUser(t2, { roles: ['admin'] });
      const c = await createClient(t2, owner.user, { grantTypes: [TOKEN_EXCHANGE_GRANT] });
      const a = await signedInAdmin(t2);
      const pat = (await createPat(t2, a.cookie, ['impersonate'])).token;
      const { user } = await createUser(t2);
      const res = await t2.http.post('/oauth/token', {
        form: {
          grant_type: TOKEN_EXCHANGE_GRANT,
          subject_token: user.id,
          subject_token_type: USER_ID_TYPE,
          actor_token: pat,
          actor_token_type: ACCESS_TOKEN_TYPE,
        },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.body.expires_in).toBe(3600);
    } finally {
      await t2.close();
    }
  });
});
