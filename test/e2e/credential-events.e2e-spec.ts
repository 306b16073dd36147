import { randomUUID } from 'node:crypto';
import { TOKEN_EXCHANGE_GRANT } from '../../src/clients/client-types';
import { ExternalIdentitiesService } from '../../src/sso-connections/external-identities.service';
import type { SsoConnection } from '../../src/sso-connections/sso-connection.entity';
import { signedInAdmin, SignedIn } from './support/admin.fixture';
import { createClient } from './support/clients.fixture';
import { deviceClient, poll } from './support/device-flow.fixture';
import {
  expectFreshOnesWork,
  expectInFlightEnded,
  IN_FLIGHT_ENV,
  inFlight,
  InFlightClients,
  introspect,
  readApi,
  resetLinkWorks,
  sessionWorks,
} from './support/in-flight.fixture';
import { inspectJwt, setTokenSettings } from './support/jwt.fixture';
import { exchangeCode, obtainTokens, refresh, registerClient } from './support/oauth-flow.fixture';
import { storedConnection } from './support/sso.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

const BOTH = 'read:device write:device';

/**
 * Issue 22 §1, the revoking events beyond the user's own (credential-epoch.e2e-spec.ts has
 * revoke-all, disable, password change, admin reset, reset by link and the bare epoch bump):
 *
 * - a role change that removes a scope: Gatehouse's decision is to narrow, not to kill. Every
 *   credential the user holds stops working for that scope at its next use and keeps the scopes
 *   the user still holds: codes, device codes and refresh families are redeemed into narrower
 *   tokens, access tokens (opaque and JWT), PATs and sessions lose the scope at Gatehouse's API,
 *   and introspection (RFC 7662 §2.2) reports only the live scopes. (A JWT a resource server
 *   verifies offline keeps its `scope` claim until it expires: JWT_ACCESS_TOKEN_TTL_SECONDS.)
 * - disabling a client: what was issued to it ends and stays ended when it is enabled again
 *   (the client's credential epoch); deleting it removes all of it.
 * - disabling an SSO connection with `endSessions`: every user linked through it loses
 *   everything (revoke-all); without it only new sign-ins through the connection stop.
 */
describe('revoking events: role change, client disable/delete, SSO connection disabled', () => {
  let t: TestApp;
  let admin: SignedIn;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let shared: InFlightClients;

  beforeAll(async () => {
    t = await startTestApp(IN_FLIGHT_ENV);
    admin = await signedInAdmin(t);
    owner = await createUser(t);
    shared = await newClients();
  });
  afterAll(() => t.close());

  async function newClients(): Promise<InFlightClients> {
    return {
      code: await registerClient(t, owner.user, { grantTypes: ['authorization_code', 'refresh_token'] }),
      device: await deviceClient(t, owner.user),
    };
  }

  /** newClients() and a client allowed RFC 8693 token exchange, for the client events (each is disabled or deleted). */
  async function newClientsWithExchange(): Promise<{ clients: InFlightClients; all: { clientId: string }[] }> {
    const clients = await newClients();
    const exchangeClient = await createClient(t, owner.user, { grantTypes: [TOKEN_EXCHANGE_GRANT], scopes: ['read:device'] });
    const actorToken = (await createPat(t, admin.cookie, ['impersonate', 'read:device'])).token;
    return {
      clients: { ...clients, exchange: { client: exchangeClient, actorToken } },
      all: [clients.code, clients.device, exchangeClient],
    };
  }

  const writeApi = (bearer: string) => t.http.post('/devices', { bearer, json: { name: 'probe' } });
  const scopeOf = (res: { body: { scope?: string } }) => res.body.scope;

  describe('a role change that removes a scope (PUT /admin/users/:id/roles)', () => {
    it('narrows every credential to the scopes still held: codes, device codes, refresh families, opaque and JWT access tokens, PATs, sessions, introspection', async () => {
      const jwtClient = await registerClient(t, owner.user, { grantTypes: ['authorization_code', 'refresh_token'] });
      await setTokenSettings(t, jwtClient.clientId, { accessTokenFormat: 'jwt' });
      const rs = await createClient(t, owner.user, { introspectionAllowed: true });
      const f = await inFlight(t, shared, { scope: BOTH });
      const jwt = await obtainTokens(t, f.u.cookie, jwtClient, { scope: BOTH });
      expect(inspectJwt(jwt.access_token).claims.scope).toBe(BOTH);
      // Before: the write scope works with each bearer (and each is in the credential cache now).
      for (const bearer of [f.tokens.access_token, f.deviceTokens.access_token, jwt.access_token, f.pat]) {
        expect((await writeApi(bearer)).status).toBe(201);
      }
      expect((await introspect(t, rs, f.tokens.refresh_token)).body.scope).toBe(BOTH);

      const res = await t.http.request('PUT', `/admin/users/${f.u.user.id}/roles`, { cookie: admin.cookie, json: { roles: ['viewer'] } });
      expect(res.status).toBe(200);

      // Bearers: the removed scope is refused (RFC 6750 §3.1 insufficient_scope), the rest works.
      for (const bearer of [f.tokens.access_token, f.deviceTokens.access_token, jwt.access_token, f.pat]) {
        const write = await writeApi(bearer);
        expect(write.status).toBe(403);
        expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
        expect((await readApi(t, bearer)).status).toBe(200);
      }
      // The session: computed from the roles on every request.
      const me = await t.http.get('/me', { cookie: f.u.cookie });
      expect(me.body.scopes).toContain('read:device');
      expect(me.body.scopes).not.toContain('write:device');
      expect(await sessionWorks(t, f.u.cookie)).toBe(true);
      // Introspection answers for today's scopes, for every token type.
      for (const token of [f.tokens.access_token, jwt.access_token, f.pat, f.tokens.refresh_token]) {
        const info = await introspect(t, rs, token);
        expect([info.body.active, info.body.scope]).toEqual([true, 'read:device']);
      }
      // In flight: redeemed into tokens of the remaining scope only (RFC 6749 §5.1 `scope` says so).
      const code = await exchangeCode(t, shared.code, f.code.code, f.code.verifier);
      expect([code.status, scopeOf(code)]).toEqual([200, 'read:device']);
      expect((await writeApi(code.body.access_token)).status).toBe(403);
      const device = await poll(t, shared.device, f.deviceCode);
      expect([device.status, scopeOf(device)]).toEqual([200, 'read:device']);
      for (const [client, rt] of [
        [shared.code, f.tokens.refresh_token],
        [shared.device, f.deviceTokens.refresh_token],
        [jwtClient, jwt.refresh_token],
      ] as const) {
        const r = await refresh(t, client, rt);
        expect([r.status, scopeOf(r)]).toEqual([200, 'read:device']);
        expect((await writeApi(r.body.access_token)).status).toBe(403);
      }
      // A role change ends no access: the reset link still opens.
      expect(await resetLinkWorks(t, f.resetLink)).toBe(true);
    });
  });

  describe('disabling a client (POST /admin/clients/:clientId/disable)', () => {
    it('ends its codes, device codes, refresh families, access and impersonation tokens, which stay ended when it is enabled again; fresh ones work', async () => {
      const { clients, all } = await newClientsWithExchange();
      const rs = await createClient(t, owner.user, { introspectionAllowed: true });
      const f = await inFlight(t, clients);
      expect(f.impersonation).toBeDefined();
      for (const c of all) {
        expect((await t.http.post(`/admin/clients/${c.clientId}/disable`, { cookie: admin.cookie })).status).toBe(200);
      }
      // While disabled, the client itself is refused (RFC 6749 §5.2 invalid_client).
      expect((await poll(t, clients.device, f.deviceCode)).body.error).toBe('invalid_client');
      for (const c of all) {
        expect((await t.http.post(`/admin/clients/${c.clientId}/enable`, { cookie: admin.cookie })).status).toBe(200);
      }
      await expectInFlightEnded(t, f, { resetLink: false, rs });
      // The user's own credentials are not the client's: the session, PAT and reset link stay.
      expect(await sessionWorks(t, f.u.cookie)).toBe(true);
      expect((await readApi(t, f.pat)).status).toBe(200);
      expect(await resetLinkWorks(t, f.resetLink)).toBe(true);
      await expectFreshOnesWork(t, f.u, f.u.cookie, clients);
    });

    it('a client_credentials token issued before the disable stays ended after enable', async () => {
      const c = await createClient(t, owner.user, { grantTypes: ['client_credentials'] });
      const res = await t.http.post('/oauth/token', {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.secret}`).toString('base64')}` },
      });
      const token = res.body.access_token as string;
      expect((await readApi(t, token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 5));
      await t.http.post(`/admin/clients/${c.clientId}/disable`, { cookie: admin.cookie });
      await t.http.post(`/admin/clients/${c.clientId}/enable`, { cookie: admin.cookie });
      expect((await readApi(t, token)).status).toBe(401);
    });
  });

  describe('deleting a client (DELETE /admin/clients/:clientId)', () => {
    it('its codes, device codes, refresh families, access and impersonation tokens go with it (invalid_client, 401)', async () => {
      const { clients, all } = await newClientsWithExchange();
      const f = await inFlight(t, clients);
      for (const c of all) {
        expect((await t.http.delete(`/admin/clients/${c.clientId}`, { cookie: admin.cookie })).status).toBe(204);
      }
      await expectInFlightEnded(t, f, { error: 'invalid_client', resetLink: false });
      expect(await sessionWorks(t, f.u.cookie)).toBe(true);
    });
  });

  describe('disabling an SSO connection (POST /admin/sso/connections/:id/disable)', () => {
    /** An enabled connection with the user linked through it; no IdP is needed to disable one. */
    async function linkedConnection(userId: string): Promise<SsoConnection> {
      const c = await storedConnection(t);
      await t.get<ExternalIdentitiesService>(ExternalIdentitiesService).link(c, userId, `sub-${randomUUID()}`, null);
      return c;
    }

    it('with endSessions: every linked user loses what is in flight, sessions and PATs (revoke-all)', async () => {
      const f = await inFlight(t, shared);
      const c = await linkedConnection(f.u.user.id);
      const res = await t.http.post(`/admin/sso/connections/${c.id}/disable`, { cookie: admin.cookie, json: { endSessions: true } });
      expect(res.status).toBe(200);
      await expectInFlightEnded(t, f);
      expect(await sessionWorks(t, f.u.cookie)).toBe(false);
      expect(await sessionWorks(t, f.otherSession)).toBe(false);
      expect((await readApi(t, f.pat)).status).toBe(401);
    });

    it('without endSessions: only new sign-ins through it stop; what the users hold keeps working', async () => {
      const f = await inFlight(t, shared);
      const c = await linkedConnection(f.u.user.id);
      expect((await t.http.post(`/admin/sso/connections/${c.id}/disable`, { cookie: admin.cookie, json: {} })).status).toBe(200);
      expect((await exchangeCode(t, shared.code, f.code.code, f.code.verifier)).status).toBe(200);
      expect((await refresh(t, shared.code, f.tokens.refresh_token)).status).toBe(200);
      expect(await sessionWorks(t, f.u.cookie)).toBe(true);
    });
  });
});
