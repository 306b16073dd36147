import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken, tokenPattern } from '../../src/auth/token-format';
import { ClientsService } from '../../src/clients/clients.service';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore, CounterStoreUnavailableError } from '../../src/rate-limits/attempt-counter.store';
import { DeviceAuthorization } from '../../src/device-authorization/device-authorization.entity';
import { hashUserCode } from '../../src/device-authorization/user-code';
import { Grant } from '../../src/grants/grant.entity';
import { signedInAdmin } from './support/admin.fixture';
import {
  decideOnDevice,
  DEVICE_CODE_GRANT_TYPE,
  deviceClient,
  deviceUser,
  enterAndDecide,
  enterUserCode,
  poll,
  requestDeviceAuthorization,
  startDeviceFlow,
  uniqueIp,
  verificationPage,
} from './support/device-flow.fixture';
import { clientRequest, refresh, registerClient } from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';
import { DEVICE_CODE } from '../../src/device-authorization/device-code.token-kind';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';
import { REFRESH_TOKEN } from '../../src/grants/grant.token-kinds';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;
const PER_SESSION = 4;
const PER_IP = 8;

describe('device authorization grant (RFC 8628)', () => {
  let t: TestApp;
  const issuer = 'http://127.0.0.1';

  beforeAll(async () => {
    t = await startTestApp({
      TOKEN_RATE_LIMIT_PER_IP: '100000',
      TOKEN_RATE_LIMIT_PER_CLIENT: '100000',
      // Polling tests wait for the interval: 1 s instead of 5.
      DEVICE_CODE_INTERVAL_SECONDS: '1',
      DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION: String(PER_SESSION),
      DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP: String(PER_IP),
      // Each test's browser user has an IP of its own (X-Forwarded-For), so per-IP limits stay per test.
      TRUST_PROXY: 'true',
      // Strict rotation, so a replay is reuse at once (the grace window is refresh-grace.e2e-spec.ts's).
      REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0',
    });
  });
  afterAll(() => t.close());

  const rows = () => t.dataSource.getRepository(DeviceAuthorization);
  const rowOf = (deviceCode: string) => rows().findOneByOrFail({ deviceCodeHash: hashToken(deviceCode) });
  const audit = (action: string) => t.dataSource.getRepository(AuditEvent).findBy({ action });
  const devicesStatus = async (accessToken: string) => (await t.http.get('/devices', { bearer: accessToken })).status;
  /** Moves the device authorization's clock: its expiry or its last poll into the past. */
  const backdate = (deviceCode: string, changes: Partial<Pick<DeviceAuthorization, 'expiresAt' | 'lastPolledAt'>>) =>
    rows().update({ deviceCodeHash: hashToken(deviceCode) }, changes);

  async function setup(clientOpts: Parameters<typeof deviceClient>[2] = {}) {
    const owner = await signedInUser(t);
    const client = await deviceClient(t, owner.user, clientOpts);
    const user = await deviceUser(t);
    return { owner, client, user };
  }

  describe('device authorization endpoint (§3.1, §3.2)', () => {
    it('RFC 8628 §3.2: a public client gets a prefixed device code, a user code, the verification URIs, expires_in and interval; only hashes are stored', async () => {
      const { client } = await setup();
      const res = await requestDeviceAuthorization(t, client, 'read:device write:device');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = res.body;
      expect(Object.keys(body).sort()).toEqual([
        'device_code',
        'expires_in',
        'interval',
        'user_code',
        'verification_uri',
        'verification_uri_complete',
      ]);
      expect(body.device_code).toMatch(tokenPattern(DEVICE_CODE));
      expect(body.user_code).toMatch(USER_CODE);
      expect(body.verification_uri).toBe(`${issuer}/device`);
      expect(body.verification_uri_complete).toBe(`${issuer}/device?user_code=${body.user_code}`);
      expect(body.expires_in).toBe(600);
      expect(body.interval).toBe(1);

      const row = await rowOf(body.device_code);
      expect(row.userCodeHash).toBe(hashUserCode(body.user_code.replace('-', '')));
      expect(row.status).toBe('pending');
      expect(row.scopes).toEqual(['read:device', 'write:device']);
      expect(JSON.stringify(row)).not.toContain(body.device_code);
      expect(JSON.stringify(row)).not.toContain(body.user_code.replace('-', ''));
      const event = (await audit('device_authorization.request')).find((e) => e.actorId === client.clientId);
      expect(event).toBeDefined();
      expect(event!.details).not.toContain('ghdc_');
    });

    it("RFC 8628 §3.1: scope omitted means the client's registered scopes (RFC 6749 §3.3)", async () => {
      const { client } = await setup({ scopes: ['read:device'] });
      const body = await startDeviceFlow(t, client, undefined);
      expect((await rowOf(body.device_code)).scopes).toEqual(['read:device']);
    });

    it('RFC 8628 §3.1: a confidential client authenticates as at the token endpoint; a wrong or missing secret is invalid_client (RFC 6749 §5.2)', async () => {
      const { client } = await setup({ type: 'confidential' });
      expect((await requestDeviceAuthorization(t, client)).status).toBe(200);
      // Another last character (never the same one): a well-formed prefix, a wrong secret.
      const last = client.secret!.slice(-1) === 'x' ? 'y' : 'x';
      const wrong = await requestDeviceAuthorization(t, { ...client, secret: `${client.secret!.slice(0, -1)}${last}` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_client');
      const unauthenticated = await requestDeviceAuthorization(t, { ...client, type: 'public' });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.body.error).toBe('invalid_client');
    });

    it('RFC 8628 §3.1 / RFC 6749 §5.2: a client that did not register the device grant is unauthorized_client, at both endpoints', async () => {
      const owner = await signedInUser(t);
      const codeFlowClient = await registerClient(t, owner.user);
      const res = await requestDeviceAuthorization(t, codeFlowClient);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unauthorized_client');
      const polled = await poll(t, codeFlowClient, 'ghdc_x');
      expect(polled.status).toBe(400);
      expect(polled.body.error).toBe('unauthorized_client');
    });

    it('RFC 6749 §5.2: unknown or unregistered scopes are invalid_scope; a bad body is invalid_request, never a 5xx', async () => {
      const { client } = await setup({ scopes: ['read:device'] });
      expect((await requestDeviceAuthorization(t, client, 'read:device nope:x')).body.error).toBe('invalid_scope');
      expect((await requestDeviceAuthorization(t, client, 'write:device')).body.error).toBe('invalid_scope');
      const plain = await t.http.post('/oauth/device_authorization', {
        body: `client_id=${client.clientId}`,
        headers: { 'content-type': 'text/plain' },
      });
      expect(plain.status).toBe(400);
      expect(plain.body.error).toBe('invalid_request');
      const repeated = await t.http.post('/oauth/device_authorization', { form: { client_id: [client.clientId, client.clientId] } });
      expect(repeated.status).toBe(400);
      expect(repeated.body.error).toBe('invalid_request');
      const malformed = await t.http.post('/oauth/device_authorization', {
        body: '{"client_id":',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBe('invalid_request');
      const anonymous = await t.http.post('/oauth/device_authorization', { form: { scope: 'read:device' } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error).toBe('invalid_client');
    });

    it('RFC 8414 / RFC 8628 §4: discovery advertises the endpoint and the grant type', async () => {
      const meta = (await t.http.get('/.well-known/oauth-authorization-server')).body;
      expect(meta.device_authorization_endpoint).toBe(`${issuer}/oauth/device_authorization`);
      expect(meta.grant_types_supported).toContain(DEVICE_CODE_GRANT_TYPE);
    });

    it('OpenAPI documents the endpoint as public, with the RFC 8628 §3.2 response fields; the pages are not in it', async () => {
      const doc = (await t.http.get('/docs-json')).body;
      const op = doc.paths['/oauth/device_authorization'].post;
      expect(op.security).toBeUndefined();
      const schema = doc.components.schemas.DeviceAuthorizationResponse;
      expect(Object.keys(schema.properties).sort()).toEqual([
        'device_code',
        'expires_in',
        'interval',
        'user_code',
        'verification_uri',
        'verification_uri_complete',
      ]);
      expect(doc.paths['/device']).toBeUndefined();
    });
  });

  describe('token endpoint (§3.4, §3.5)', () => {
    it('RFC 8628 §3.5: authorization_pending until the user decides', async () => {
      const { client } = await setup();
      const flow = await startDeviceFlow(t, client);
      const res = await poll(t, client, flow.device_code);
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body.error).toBe('authorization_pending');
    });

    it('RFC 8628 §3.5: polling faster than the interval is slow_down, and the interval grows by 5 s for every later poll', async () => {
      const { client } = await setup();
      const flow = await startDeviceFlow(t, client);
      expect((await poll(t, client, flow.device_code)).body.error).toBe('authorization_pending');
      const fast = await poll(t, client, flow.device_code);
      expect(fast.status).toBe(400);
      expect(fast.body.error).toBe('slow_down');
      expect((await rowOf(flow.device_code)).intervalSeconds).toBe(6);

      // The original 1 s interval has passed, but the interval is now 6 s: still too fast.
      await new Promise((r) => setTimeout(r, 1200));
      expect((await poll(t, client, flow.device_code)).body.error).toBe('slow_down');
      expect((await rowOf(flow.device_code)).intervalSeconds).toBe(11);

      // Waiting the grown interval is on time again.
      await backdate(flow.device_code, { lastPolledAt: new Date(Date.now() - 11_500) });
      expect((await poll(t, client, flow.device_code)).body.error).toBe('authorization_pending');
      expect((await rowOf(flow.device_code)).intervalSeconds).toBe(11);
    });

    it('RFC 8628 §3.5: of concurrent polls of a pending code one is on time and the rest are slow_down', async () => {
      const { client } = await setup();
      const flow = await startDeviceFlow(t, client);
      const results = await Promise.all(Array.from({ length: 5 }, () => poll(t, client, flow.device_code)));
      const errors = results.map((r) => r.body.error).sort();
      expect(errors.filter((e) => e === 'authorization_pending')).toHaveLength(1);
      expect(errors.filter((e) => e === 'slow_down')).toHaveLength(4);
    });

    it('RFC 8628 §3.4–3.5: after approval the device gets access and refresh tokens once; they work at the resource API', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client, 'read:device write:device');
      const done = await enterAndDecide(t, user, flow.user_code, 'approve');
      expect(done.status).toBe(200);
      expect(done.text).toContain('data-outcome="approved"');

      const res = await poll(t, client, flow.device_code);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'read:device write:device' });
      expect(res.body.access_token).toMatch(tokenPattern(ACCESS_TOKEN));
      expect(res.body.refresh_token).toMatch(tokenPattern(REFRESH_TOKEN));
      expect(await devicesStatus(res.body.access_token)).toBe(200);

      const again = await poll(t, client, flow.device_code);
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('invalid_grant');

      const row = await rowOf(flow.device_code);
      expect(row.status).toBe('redeemed');
      expect(row.userId).toBe(user.user.id);
      const grant = await t.dataSource.getRepository(Grant).findOneByOrFail({ id: row.grantId! });
      expect(grant).toMatchObject({ userId: user.user.id, clientId: client.clientId });
      const approved = (await audit('device_authorization.approve')).find((e) => e.actorId === user.user.id);
      expect(approved?.targetId).toBe(client.clientId);
      // The user sees it among their own security events.
      const events = await t.http.get('/account/security-events', { cookie: user.cookie });
      expect(events.body.items.map((e: { action: string }) => e.action)).toContain('device_authorization.approve');
      const issued = (await audit('token.issue')).filter((e) => e.actorId === client.clientId);
      expect(issued).toHaveLength(1);
      expect(JSON.parse(issued[0].details!)).toMatchObject({ grantType: DEVICE_CODE_GRANT_TYPE, familyId: grant.id });
    });

    it('RFC 8628 §3.4: the device code is single-use: of 20 parallel polls after approval exactly one gets tokens, the rest invalid_grant', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      const results = await Promise.all(Array.from({ length: 20 }, () => poll(t, client, flow.device_code)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const failed = results.filter((r) => r.status !== 200);
      expect(failed).toHaveLength(19);
      for (const r of failed) expect(r.body.error).toBe('invalid_grant');
      expect(await t.dataSource.getRepository(Grant).countBy({ clientId: client.clientId })).toBe(1);
    });

    it('RFC 8628 §3.5: access_denied after the user denies; audited', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      const done = await enterAndDecide(t, user, flow.user_code, 'deny');
      expect(done.text).toContain('data-outcome="denied"');
      const res = await poll(t, client, flow.device_code);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('access_denied');
      expect((await audit('device_authorization.deny')).some((e) => e.actorId === user.user.id && e.targetId === client.clientId)).toBe(
        true,
      );
      // A denied code cannot be entered again.
      expect((await enterUserCode(t, user, flow.user_code)).status).toBe(400);
    });

    it('RFC 8628 §3.5: expired_token after expiry (audited once); the expired user code is refused on the page', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      await backdate(flow.device_code, { expiresAt: new Date(Date.now() - 1000) });
      for (let i = 0; i < 2; i++) {
        const res = await poll(t, client, flow.device_code);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('expired_token');
      }
      const row = await rowOf(flow.device_code);
      expect(
        (await audit('device_authorization.expire')).filter((e) => JSON.parse(e.details!).deviceAuthorizationId === row.id),
      ).toHaveLength(1);
      const page = await enterUserCode(t, user, flow.user_code);
      expect(page.status).toBe(400);
      expect(page.text).toContain('wrong, has expired or was already used');
    });

    it('RFC 8628 §3.5: a code approved but not redeemed before expiry is expired_token, not tokens', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      await backdate(flow.device_code, { expiresAt: new Date(Date.now() - 1000) });
      expect((await poll(t, client, flow.device_code)).body.error).toBe('expired_token');
    });

    it('RFC 8628 §3.4: a device code is bound to its client; malformed or unknown codes are invalid_grant', async () => {
      const { owner, client, user } = await setup();
      const other = await deviceClient(t, owner.user);
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      expect((await poll(t, other, flow.device_code)).body.error).toBe('invalid_grant');
      expect((await poll(t, client, 'ghdc_not-a-code')).body.error).toBe('invalid_grant');
      const missing = await clientRequest(t, client, '/oauth/token', { grant_type: DEVICE_CODE_GRANT_TYPE });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('invalid_request');
      // The rightful client still gets its tokens.
      expect((await poll(t, client, flow.device_code)).status).toBe(200);
    });

    it('RFC 8628 §3.4: a confidential client runs the whole flow with its secret', async () => {
      const { client, user } = await setup({ type: 'confidential' });
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      const res = await poll(t, client, flow.device_code);
      expect(res.status).toBe(200);
      expect(await devicesStatus(res.body.access_token)).toBe(200);
    });

    it("RFC 6749 §6 / RFC 9700 §4.14.2: the refresh token rotates like the code flow's, and reuse revokes the family", async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      const first = (await poll(t, client, flow.device_code)).body;
      const rotated = await refresh(t, client, first.refresh_token);
      expect(rotated.status).toBe(200);
      expect(rotated.body.refresh_token).not.toBe(first.refresh_token);
      expect(await devicesStatus(rotated.body.access_token)).toBe(200);

      const replay = await refresh(t, client, first.refresh_token);
      expect(replay.body.error).toBe('invalid_grant');
      expect(await devicesStatus(rotated.body.access_token)).toBe(401);
      const row = await rowOf(flow.device_code);
      expect((await t.dataSource.getRepository(Grant).findOneByOrFail({ id: row.grantId! })).revokedReason).toBe('refresh_reuse');
    });

    it('RFC 6749 §1.5: a client registered without refresh_token gets an access token only', async () => {
      const { client, user } = await setup({ grantTypes: [DEVICE_CODE_GRANT_TYPE] });
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      const res = await poll(t, client, flow.device_code);
      expect(res.status).toBe(200);
      expect(res.body.refresh_token).toBeUndefined();
    });
  });

  describe('verification page (§3.3, §5.4, §6.1, §5.1)', () => {
    it('RFC 8628 §3.3: a signed-out browser signs in first and comes back to the same verification URI', async () => {
      const res = await t.http.get('/device?user_code=BCDF-GHJK');
      expect(res.status).toBe(303);
      const login = new URL(res.headers.get('location')!, t.baseUrl);
      expect(login.pathname).toBe('/login');
      expect(login.searchParams.get('next')).toBe('/device?user_code=BCDF-GHJK');
    });

    it('RFC 8628 §5.4: verification_uri_complete pre-fills the code, but the user must still confirm it; nothing is decided by opening it', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      const page = await verificationPage(t, user, flow.user_code);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.text).toContain(`value="${flow.user_code}"`);
      expect(page.text).toContain('action="/device"');
      expect(page.text).not.toContain('value="approve"');
      // Reachable from the navigation too, marked as the current page.
      expect(page.text).toMatch(/<a href="\/device"[^>]*aria-current="page"/);
      expect((await rowOf(flow.device_code)).status).toBe('pending');
    });

    it('RFC 8628 §5.4: the consent page names the client and the scopes, shows the code and warns to approve only if it matches', async () => {
      const owner = await signedInUser(t);
      const client = await deviceClient(t, owner.user);
      const viewer = { ...(await signedInUser(t, { roles: ['viewer'] })), ip: uniqueIp() };
      const flow = await startDeviceFlow(t, client, 'read:device write:device');
      const page = await enterUserCode(t, viewer, flow.user_code);
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-testid="client-name">Radon sensor<');
      expect(page.text).toContain(`data-testid="user-code">${flow.user_code}<`);
      expect(page.text).toMatch(/Approve only if your device shows this code/);
      expect(page.text).toMatch(/data-testid="consent-scopes">[\s\S]*read:device[\s\S]*<\/ul>/);
      // The viewer does not hold write:device: shown as not granted, and not granted.
      expect(page.text).toMatch(/data-testid="dropped-scopes">[\s\S]*write:device/);
      await decideOnDevice(t, viewer, page.text, 'approve');
      expect((await rowOf(flow.device_code)).scopes).toEqual(['read:device']);
      expect((await poll(t, client, flow.device_code)).body.scope).toBe('read:device');
    });

    it('RFC 8628 §6.1: the user code is entered case-insensitively, with or without the dash or spaces', async () => {
      const { client, user } = await setup();
      for (const variant of [
        (c: string) => c.toLowerCase().replace('-', ''),
        (c: string) => ` ${c.slice(0, 4).toLowerCase()} ${c.slice(5)} `,
        (c: string) => c,
      ]) {
        const flow = await startDeviceFlow(t, client);
        const page = await enterUserCode(t, { ...user, ip: uniqueIp() }, variant(flow.user_code));
        expect(page.status).toBe(200);
        expect(page.text).toContain(`data-testid="user-code">${flow.user_code}<`);
      }
    });

    it('RFC 8628 §6.1: a wrong code is a clear 400 (audited); something that cannot be a code says so', async () => {
      const { user } = await setup();
      const wrong = await enterUserCode(t, user, 'BBBB-BBBB');
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('wrong, has expired or was already used');
      expect((await audit('device_authorization.user_code_rejected')).some((e) => e.actorId === user.user.id)).toBe(true);
      const malformed = await enterUserCode(t, user, 'AEIO-0000');
      expect(malformed.status).toBe(400);
      expect(malformed.text).toContain('Codes are 8 letters');
      const tooLong = await enterUserCode(t, user, 'X'.repeat(200));
      expect(tooLong.status).toBe(400);
    });

    it('RFC 8628 §5.1: user-code entries are limited per session: past the limit even the right code is 429 with Retry-After', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      for (let i = 0; i < PER_SESSION; i++) expect((await enterUserCode(t, user, 'BBBB-BBBB')).status).toBe(400);
      const blocked = await enterUserCode(t, user, flow.user_code);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.text).toContain('Too many codes entered');
      // Another session of the same user on another IP is not blocked by this session's entries.
      const other = { ...user, cookie: (await signedInUser(t)).cookie, ip: uniqueIp() };
      expect((await enterUserCode(t, other, flow.user_code)).status).toBe(200);
    });

    it('RFC 8628 §5.1: user-code entries are limited per IP across sessions', async () => {
      const { client } = await setup();
      const flow = await startDeviceFlow(t, client);
      const ip = uniqueIp();
      const sessions = await Promise.all([0, 1, 2].map(async () => ({ ...(await signedInUser(t)), ip })));
      for (let i = 0; i < PER_IP; i++) expect((await enterUserCode(t, sessions[i % 2], 'BBBB-BBBB')).status).toBe(400);
      // A fresh session from the same IP: blocked.
      expect((await enterUserCode(t, sessions[2], flow.user_code)).status).toBe(429);
      // The same code from elsewhere: fine.
      expect((await enterUserCode(t, { ...sessions[2], ip: uniqueIp() }, flow.user_code)).status).toBe(200);
    });

    it('RFC 8628 §5.1: when the shared counter store is down, code entry fails closed (503 + Retry-After), nothing is looked up', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      const store = t.get<AttemptCounterStore>(ATTEMPT_COUNTER_STORE);
      const spy = jest.spyOn(store, 'hit').mockRejectedValueOnce(new CounterStoreUnavailableError(new Error('connection refused')));
      try {
        const res = await enterUserCode(t, user, flow.user_code);
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.text).toContain('cannot be checked right now');
      } finally {
        spy.mockRestore();
      }
      expect((await enterUserCode(t, user, flow.user_code)).status).toBe(200);
    });

    it('the page forms are CSRF-protected (a post without the token is refused)', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      const res = await t.http.post('/device', {
        cookie: user.cookie,
        headers: { 'x-forwarded-for': user.ip },
        form: { user_code: flow.user_code },
      });
      expect(res.status).toBe(403);
      const decision = await t.http.post('/device/decision', {
        cookie: user.cookie,
        form: { user_code: flow.user_code, decision: 'approve' },
      });
      expect(decision.status).toBe(403);
      expect((await rowOf(flow.device_code)).status).toBe('pending');
    });

    it('a code decided in another tab is no longer open', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      const consent = await enterUserCode(t, user, flow.user_code);
      await decideOnDevice(t, user, consent.text, 'deny');
      const late = await decideOnDevice(t, user, consent.text, 'approve');
      expect(late.status).toBe(400);
      expect((await poll(t, client, flow.device_code)).body.error).toBe('access_denied');
    });
  });

  describe('authorized apps', () => {
    it('a device approval is listed among the authorized apps, and revoking it stops the device', async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      const tokens = (await poll(t, client, flow.device_code)).body;

      const list = await t.http.get('/account/authorizations', { cookie: user.cookie });
      expect(list.body.items.map((a: { clientId: string }) => a.clientId)).toContain(client.clientId);
      expect((await t.http.delete(`/account/authorizations/${client.clientId}`, { cookie: user.cookie })).status).toBe(204);
      expect(await devicesStatus(tokens.access_token)).toBe(401);
      expect((await refresh(t, client, tokens.refresh_token)).body.error).toBe('invalid_grant');
    });

    it("revoking the app between approval and the device's next poll: access_denied, no tokens", async () => {
      const { client, user } = await setup();
      const flow = await startDeviceFlow(t, client);
      await enterAndDecide(t, user, flow.user_code, 'approve');
      expect((await t.http.delete(`/account/authorizations/${client.clientId}`, { cookie: user.cookie })).status).toBe(204);
      const res = await poll(t, client, flow.device_code);
      expect(res.body.error).toBe('access_denied');
      expect(await t.dataSource.getRepository(Grant).countBy({ clientId: client.clientId })).toBe(0);
    });
  });

  describe('client registration', () => {
    it('the developer API registers a public device client without redirect URIs', async () => {
      const owner = await signedInUser(t);
      const res = await t.http.post('/developer/clients', {
        cookie: owner.cookie,
        json: { name: 'CLI', type: 'public', grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'], scopes: ['read:device'] },
      });
      expect(res.status).toBe(201);
      expect(res.body.client?.grantTypes ?? res.body.grantTypes).toEqual([DEVICE_CODE_GRANT_TYPE, 'refresh_token']);
    });

    it('the Developer settings page enables the grant with its grant type checkbox', async () => {
      const owner = await signedInUser(t);
      const page = await t.http.get('/account/clients', { cookie: owner.cookie });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await t.http.post('/account/clients', {
        cookie: owner.cookie,
        form: {
          _csrf: csrf,
          name: 'TV app',
          type: 'public',
          redirectUris: '',
          grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
          scopes: 'read:device',
        },
      });
      expect(res.status).toBe(303);
      const [created] = await t.get<ClientsService>(ClientsService).listOwnedBy(owner.user.id);
      expect(created.grantTypes).toEqual([DEVICE_CODE_GRANT_TYPE, 'refresh_token']);
      const client = { clientId: created.clientId, type: 'public' as const, redirectUris: [] };
      expect((await requestDeviceAuthorization(t, client)).status).toBe(200);
    });

    it('the admin API registers a device client for a user', async () => {
      const admin = await signedInAdmin(t);
      const owner = await signedInUser(t);
      const res = await t.http.post('/admin/clients', {
        cookie: admin.cookie,
        json: {
          name: 'Gateway',
          type: 'confidential',
          ownerId: owner.user.id,
          grantTypes: [DEVICE_CODE_GRANT_TYPE],
          scopes: ['read:device'],
        },
      });
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body)).toContain(DEVICE_CODE_GRANT_TYPE);
    });

    it('refresh_token without a grant that issues one is refused', async () => {
      const owner = await signedInUser(t);
      const res = await t.http.post('/developer/clients', {
        cookie: owner.cookie,
        json: { name: 'Bad', type: 'public', grantTypes: ['refresh_token'], scopes: ['read:device'] },
      });
      expect(res.status).toBe(400);
    });
  });
});
