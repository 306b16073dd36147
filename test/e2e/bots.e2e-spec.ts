import { hashToken, isWellFormed } from '../../src/auth/token-format';
import { BotToken } from '../../src/bots/bot-token.entity';
import { User } from '../../src/users/user.entity';
import { auditByActor, detailsOf, signedInAdmin } from './support/admin.fixture';
import { createBot, createBotToken, findBotTokenRow } from './support/bots.fixture';
import { basicAuth, createClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';
import { BOT_TOKEN } from '../../src/bots/bot-token.token-kind';

/** Bot users and their impersonated (bot) access tokens (issue 14). */
describe('bots', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('creating bots', () => {
    it('a person with manage:bots (role user) creates a bot: kind bot, they are its manager, audited', async () => {
      const { cookie, user } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie, { name: 'Deployer', description: 'CI', roles: ['viewer'] });
      expect(bot).toMatchObject({
        name: 'Deployer',
        description: 'CI',
        kind: 'bot',
        roles: ['viewer'],
        status: 'active',
        createdBy: user.id,
        unmanaged: false,
      });
      expect(bot.managers.map((m) => m.id)).toEqual([user.id]);
      const row = await t.dataSource.getRepository(User).findOneByOrFail({ id: bot.id });
      expect(row.kind).toBe('bot');
      expect(row.email).toMatch(/@bots\.invalid$/);
      expect((await auditByActor(t, user.id, 'bot.create'))[0]).toMatchObject({ targetId: bot.id, outcome: 'success' });
      const list = await t.http.get('/account/bots', { cookie });
      expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([bot.id]);
    });

    it('a viewer lacks manage:bots: 403 insufficient_scope', async () => {
      const { cookie } = await signedInUser(t, { roles: ['viewer'] });
      const res = await t.http.post('/account/bots', { cookie, json: { name: 'x', roles: ['viewer'] } });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
    });

    it('role ceiling: a non-admin cannot give admin, nor roles holding more than they do', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const admin = await t.http.post('/account/bots', { cookie, json: { name: 'x', roles: ['admin'] } });
      expect(admin.status).toBe(400);
      expect(admin.body.message).toMatch(/admin/);
      expect((await t.http.post('/account/bots', { cookie, json: { name: 'x', roles: ['nope'] } })).status).toBe(400);
      expect((await t.http.post('/account/bots', { cookie, json: { name: 'x', roles: [] } })).status).toBe(400);
    });

    it('an admin may create an admin bot', async () => {
      const { cookie } = await signedInAdmin(t);
      const bot = await createBot(t, cookie, { roles: ['admin'] });
      expect(bot.roles).toEqual(['admin']);
    });

    it('a bot cannot sign in, whatever password it is given', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const row = await t.dataSource.getRepository(User).findOneByOrFail({ id: bot.id });
      const res = await t.http.post('/auth/login', { json: { email: row.email, password: '!bot' }, origin: t.baseUrl });
      expect(res.status).toBe(401);
    });
  });

  describe('bot tokens', () => {
    it('created and shown once, stored only as SHA-256, ghbot_ with a valid checksum, listed with hint', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const token = await createBotToken(t, cookie, bot.id);
      expect(token.token).toMatch(/^ghbot_[0-9A-Za-z]{36}$/);
      expect(isWellFormed(BOT_TOKEN, token.token)).toBe(true);
      const row = await findBotTokenRow(t, token.id);
      expect(row?.tokenHash).toBe(hashToken(token.token));
      const details = await t.http.get(`/account/bots/${bot.id}`, { cookie });
      expect(details.status).toBe(200);
      expect(details.body.tokens).toHaveLength(1);
      expect(details.text).not.toContain(token.token);
      expect(details.body.tokens[0].hint).toBe(`ghbot_…${token.token.slice(-4)}`);
    });

    it('used on /devices: the device belongs to the bot; the audit row is the bot, its token, and names the creator', async () => {
      const { cookie, user } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const token = await createBotToken(t, cookie, bot.id);
      const res = await t.http.post('/devices', { bearer: token.token, json: { name: 'Made by a bot' } });
      expect(res.status).toBe(201);
      expect(res.body.ownerId).toBe(bot.id);
      const rows = (await auditByActor(t, bot.id)).filter((e) => e.action.startsWith('device.') || e.action === 'api.request');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toMatchObject({ actorType: 'user', actorId: bot.id, credentialKind: 'bot_token', credentialId: token.id });
      expect(detailsOf(rows[0]).credentialCreatedBy).toBe(user.id);
      expect((await findBotTokenRow(t, token.id))?.lastUsedAt).not.toBeNull();
      // The bot's activity, as its managers see it.
      const activity = await t.http.get(`/account/bots/${bot.id}/activity`, { cookie });
      expect(activity.body.items.map((e: { credentialId: string }) => e.credentialId)).toContain(token.id);
    });

    it('scopes narrow live when the bot’s roles change (write:device gone once it is a viewer)', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie, { roles: ['user'] });
      const token = await createBotToken(t, cookie, bot.id, ['read:device', 'write:device']);
      expect((await t.http.post('/devices', { bearer: token.token, json: { name: 'a' } })).status).toBe(201);
      const patched = await t.http.patch(`/account/bots/${bot.id}`, { cookie, json: { roles: ['viewer'] } });
      expect(patched.status).toBe(200);
      const refused = await t.http.post('/devices', { bearer: token.token, json: { name: 'b' } });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');
      expect((await t.http.get('/devices', { bearer: token.token })).status).toBe(200);
    });

    it('a scope the bot does not hold is refused at creation (400)', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie, { roles: ['viewer'] });
      const res = await t.http.post(`/account/bots/${bot.id}/tokens`, { cookie, json: { name: 'x', scopes: ['write:device'] } });
      expect(res.status).toBe(400);
      // manage:bots is held by a `user` bot but unusable with a token (cookie-only routes): never granted.
      const userBot = await createBot(t, cookie, { roles: ['user'] });
      const unusable = await t.http.post(`/account/bots/${userBot.id}/tokens`, { cookie, json: { name: 'x', scopes: ['manage:bots'] } });
      expect(unusable.status).toBe(400);
    });

    it('RFC 6750 §3.1: a disabled bot’s tokens are 401 invalid_token at once, and work again once enabled', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const token = await createBotToken(t, cookie, bot.id);
      expect((await t.http.get('/devices', { bearer: token.token })).status).toBe(200);
      expect((await t.http.post(`/account/bots/${bot.id}/disable`, { cookie })).body.status).toBe('disabled');
      const res = await t.http.get('/devices', { bearer: token.token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
      await t.http.post(`/account/bots/${bot.id}/enable`, { cookie });
      expect((await t.http.get('/devices', { bearer: token.token })).status).toBe(200);
    });

    it('a revoked token is 401 at once', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const token = await createBotToken(t, cookie, bot.id);
      expect((await t.http.delete(`/account/bots/${bot.id}/tokens/${token.id}`, { cookie })).status).toBe(204);
      expect((await t.http.get('/devices', { bearer: token.token })).status).toBe(401);
    });

    it('deleting a bot deletes its tokens', async () => {
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const token = await createBotToken(t, cookie, bot.id);
      expect((await t.http.delete(`/account/bots/${bot.id}`, { cookie })).status).toBe(204);
      expect(await t.dataSource.getRepository(BotToken).countBy({ botId: bot.id })).toBe(0);
      expect(await t.dataSource.getRepository(User).findOneBy({ id: bot.id })).toBeNull();
      expect((await t.http.get('/devices', { bearer: token.token })).status).toBe(401);
    });

    it('the token keeps working when its creator is disabled; the bot shows as unmanaged to admins', async () => {
      const { cookie, user } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie);
      const token = await createBotToken(t, cookie, bot.id);
      await t.dataSource.getRepository(User).update({ id: user.id }, { status: 'disabled' });
      expect((await t.http.get('/devices', { bearer: token.token })).status).toBe(200);
      const admin = await signedInAdmin(t);
      const all = await t.http.get('/admin/bots', { cookie: admin.cookie });
      expect(all.status).toBe(200);
      expect(all.body.items.find((b: { id: string }) => b.id === bot.id)).toMatchObject({ unmanaged: true });
      // An admin assigns a manager.
      const other = await createUser(t, { roles: ['user'] });
      const added = await t.http.post(`/account/bots/${bot.id}/managers`, { cookie: admin.cookie, json: { email: other.email } });
      expect(added.status).toBe(201);
      expect(added.body.unmanaged).toBe(false);
    });
  });

  describe('who may manage a bot', () => {
    it('manager vs non-manager vs admin on every bot route', async () => {
      const manager = await signedInUser(t, { roles: ['user'] });
      const stranger = await signedInUser(t, { roles: ['user'] });
      const admin = await signedInAdmin(t);
      const bot = await createBot(t, manager.cookie, { roles: ['viewer'] });
      const token = await createBotToken(t, manager.cookie, bot.id, ['read:device']);
      const colleague = await createUser(t, { roles: ['user'] });
      const routes: [string, string, unknown?][] = [
        ['GET', `/account/bots/${bot.id}`],
        ['PATCH', `/account/bots/${bot.id}`, { description: 'changed' }],
        ['POST', `/account/bots/${bot.id}/disable`],
        ['POST', `/account/bots/${bot.id}/enable`],
        ['POST', `/account/bots/${bot.id}/managers`, { email: colleague.email }],
        ['DELETE', `/account/bots/${bot.id}/managers/${colleague.user.id}`],
        ['POST', `/account/bots/${bot.id}/tokens`, { name: 'x', scopes: ['read:device'] }],
        ['DELETE', `/account/bots/${bot.id}/tokens/${token.id}`],
        ['GET', `/account/bots/${bot.id}/activity`],
        ['DELETE', `/account/bots/${bot.id}`],
      ];
      // A non-manager: every route is a 404 (the bot is not theirs to see), and nothing changed.
      for (const [method, path, json] of routes) {
        const res = await t.http.request(method, path, { cookie: stranger.cookie, json });
        expect([method, path, res.status]).toEqual([method, path, 404]);
      }
      expect((await t.http.get('/account/bots', { cookie: stranger.cookie })).body.items).toEqual([]);
      // The manager, then an admin (not a manager), may do each (the last route deletes the bot).
      for (const who of [manager, admin]) {
        const fresh = who === manager ? bot : await createBot(t, manager.cookie, { roles: ['viewer'] });
        const tok = who === manager ? token : await createBotToken(t, manager.cookie, fresh.id, ['read:device']);
        for (const [method, path, json] of routes) {
          const concrete = path.replace(bot.id, fresh.id).replace(token.id, tok.id);
          const res = await t.http.request(method, concrete, { cookie: who.cookie, json });
          expect([method, concrete, res.status < 300]).toEqual([method, concrete, true]);
        }
      }
      // A bot token cannot manage bots (cookie only), not even its own bot.
      const other = await createBot(t, manager.cookie, { roles: ['user'] });
      const own = await createBotToken(t, manager.cookie, other.id, ['read:device']);
      expect((await t.http.get(`/account/bots/${other.id}`, { bearer: own.token })).status).toBe(401);
      // Only admins see the admin list.
      expect((await t.http.get('/admin/bots', { cookie: manager.cookie })).status).toBe(403);
    });
  });

  describe('introspection (RFC 7662)', () => {
    it('RFC 7662 §2.2: to a resource server, sub is the bot, token_type bot_token, user_kind bot, effective scope', async () => {
      const owner = await createUser(t);
      const rs = await createClient(t, owner.user, { introspectionAllowed: true });
      const plain = await createClient(t, owner.user);
      const { cookie } = await signedInUser(t, { roles: ['user'] });
      const bot = await createBot(t, cookie, { roles: ['user'] });
      const token = await createBotToken(t, cookie, bot.id, ['read:device', 'write:device']);
      const ask = (c: { clientId: string; secret?: string }) =>
        t.http.post('/oauth/introspect', { form: { token: token.token }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
      const res = await ask(rs);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        active: true,
        sub: bot.id,
        token_type: 'bot_token',
        user_kind: 'bot',
        scope: 'read:device write:device',
      });
      expect(res.body.client_id).toBeUndefined();
      expect((await ask(plain)).body).toEqual({ active: false });
      await t.dataSource.getRepository(User).update({ id: bot.id }, { roles: ['viewer'] });
      expect((await ask(rs)).body.scope).toBe('read:device');
      await t.dataSource.getRepository(User).update({ id: bot.id }, { status: 'disabled' });
      expect((await ask(rs)).body).toEqual({ active: false });
    });
  });
});
