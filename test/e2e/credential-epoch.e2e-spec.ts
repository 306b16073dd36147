import { AccountPasswordService } from '../../src/account/account-password.service';
import { CredentialEpochService } from '../../src/users/credential-epoch.service';
import { User } from '../../src/users/user.entity';
import { signedInAdmin, SignedIn } from './support/admin.fixture';
import { deviceClient, deviceUser, DeviceUser, enterAndDecide, poll, startDeviceFlow } from './support/device-flow.fixture';
import { codeRequest, exchangeCode, obtainCode, obtainTokens, refresh, registerClient, TestClient } from './support/oauth-flow.fixture';
import { HTML } from './support/pages.fixture';
import { createPat, csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn, TEST_PASSWORD } from './support/users.fixture';

const NEW_PASSWORD = 'purple elephants dance quietly';

/**
 * Issue 22 §1–2: every event that ends a user's access also ends what is still in flight, through
 * one mechanism (the credential epoch, CredentialEpochService.bump): an authorization code not yet
 * redeemed, a device code approved but not yet polled, a refresh family, an access token, a
 * password-reset link. Sessions and PATs end as each event always said. After the event, newly
 * issued credentials work (the epoch ends only what came before it).
 */
describe('revocation reaches credentials in flight (credential epoch)', () => {
  let t: TestApp;
  let admin: SignedIn;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let codeClient: TestClient;
  let devClient: TestClient;

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      TOKEN_RATE_LIMIT_PER_IP: '100000',
      TOKEN_RATE_LIMIT_PER_CLIENT: '100000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      // Polling at once is fine here: each device code is polled once.
      DEVICE_CODE_INTERVAL_SECONDS: '1',
    });
    admin = await signedInAdmin(t);
    owner = await createUser(t);
    codeClient = await registerClient(t, owner.user, { grantTypes: ['authorization_code', 'refresh_token'] });
    devClient = await deviceClient(t, owner.user);
  });
  afterAll(() => t.close());

  interface InFlight {
    u: DeviceUser;
    otherSession: string;
    code: { code: string; verifier: string };
    deviceCode: string;
    tokens: { access_token: string; refresh_token: string };
    deviceTokens: { access_token: string; refresh_token: string };
    pat: string;
    resetLink: string;
  }

  /** A user holding one of every kind, in flight or live. */
  async function inFlight(): Promise<InFlight> {
    const u = await deviceUser(t);
    const otherSession = await signIn(t, u.email);
    const tokens = await obtainTokens(t, u.cookie, codeClient);
    // A device authorized and polled once (a refresh family), and another approved but not yet polled.
    const first = await startDeviceFlow(t, devClient);
    await enterAndDecide(t, u, first.user_code, 'approve');
    const polled = await poll(t, devClient, first.device_code);
    expect(polled.status).toBe(200);
    const second = await startDeviceFlow(t, devClient);
    expect((await enterAndDecide(t, u, second.user_code, 'approve')).status).toBe(200);
    const { params, pkce } = codeRequest(codeClient);
    const code = await obtainCode(t, u.cookie, params);
    const pat = (await createPat(t, u.cookie)).token;
    const resetLink = new URL(
      (await t.get<AccountPasswordService>(AccountPasswordService).issueLink(u.user.id, null)).url,
    ).searchParams.get('token')!;
    // The clock moves on before the event (the epoch is a millisecond timestamp).
    await new Promise((r) => setTimeout(r, 5));
    return {
      u,
      otherSession,
      code: { code, verifier: pkce.verifier },
      deviceCode: second.device_code,
      tokens,
      deviceTokens: polled.body,
      pat,
      resetLink,
    };
  }

  const api = (bearer: string) => t.http.get('/devices', { bearer });
  const sessionWorks = async (cookie: string) =>
    (await t.http.get('/account/sessions', { cookie, headers: { accept: 'application/json' } })).status === 200;
  const resetLinkWorks = async (token: string) => {
    const page = await t.http.get(`/password-reset?token=${token}`, { headers: HTML });
    return page.status === 200 && page.text.includes('name="newPassword"');
  };

  /** RFC 6749 §5.2: what was issued before the event answers invalid_grant at the token endpoint; the access tokens 401. */
  async function expectInFlightEnded(f: InFlight): Promise<void> {
    const code = await exchangeCode(t, codeClient, f.code.code, f.code.verifier);
    expect([code.status, code.body.error]).toEqual([400, 'invalid_grant']);
    const device = await poll(t, devClient, f.deviceCode);
    expect([device.status, device.body.error]).toEqual([400, 'invalid_grant']);
    for (const rt of [f.tokens.refresh_token, f.deviceTokens.refresh_token]) {
      const r = await refresh(t, rt === f.tokens.refresh_token ? codeClient : devClient, rt);
      expect([r.status, r.body.error]).toEqual([400, 'invalid_grant']);
    }
    for (const at of [f.tokens.access_token, f.deviceTokens.access_token]) expect((await api(at)).status).toBe(401);
    expect(await resetLinkWorks(f.resetLink)).toBe(false);
    const used = await t.http.post('/password-reset', {
      form: { token: f.resetLink, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      origin: t.baseUrl,
    });
    expect(used.status).toBe(400);
  }

  /** Credentials issued after the event work: the epoch ends only what came before it. */
  async function expectFreshOnesWork(u: DeviceUser, cookie: string): Promise<void> {
    const fresh = await obtainTokens(t, cookie, codeClient);
    expect((await api(fresh.access_token)).status).toBe(200);
    expect((await refresh(t, codeClient, fresh.refresh_token)).status).toBe(200);
    const dev = await startDeviceFlow(t, devClient);
    await enterAndDecide(t, { ...u, cookie }, dev.user_code, 'approve');
    expect((await poll(t, devClient, dev.device_code)).status).toBe(200);
    const link = new URL((await t.get<AccountPasswordService>(AccountPasswordService).issueLink(u.user.id, null)).url).searchParams.get(
      'token',
    )!;
    expect(await resetLinkWorks(link)).toBe(true);
  }

  it('the control: without an event, everything in flight works', async () => {
    const f = await inFlight();
    expect((await exchangeCode(t, codeClient, f.code.code, f.code.verifier)).status).toBe(200);
    expect((await poll(t, devClient, f.deviceCode)).status).toBe(200);
    expect((await refresh(t, codeClient, f.tokens.refresh_token)).status).toBe(200);
    expect((await api(f.deviceTokens.access_token)).status).toBe(200);
    expect(await resetLinkWorks(f.resetLink)).toBe(true);
  });

  it('admin revoke-all (POST /admin/users/:id/revoke-credentials): codes, device codes, refresh families, access tokens, reset links, sessions and PATs all end', async () => {
    const f = await inFlight();
    expect((await t.http.post(`/admin/users/${f.u.user.id}/revoke-credentials`, { cookie: admin.cookie })).status).toBe(200);
    await expectInFlightEnded(f);
    expect(await sessionWorks(f.u.cookie)).toBe(false);
    expect(await sessionWorks(f.otherSession)).toBe(false);
    expect((await api(f.pat)).status).toBe(401);
    await expectFreshOnesWork(f.u, await signIn(t, f.u.email));
  });

  it('disabling the user: everything ends, and stays ended when the account is enabled again', async () => {
    const f = await inFlight();
    expect((await t.http.post(`/admin/users/${f.u.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
    expect((await t.http.post(`/admin/users/${f.u.user.id}/enable`, { cookie: admin.cookie })).status).toBe(200);
    await expectInFlightEnded(f);
    expect(await sessionWorks(f.u.cookie)).toBe(false);
    await expectFreshOnesWork(f.u, await signIn(t, f.u.email));
  });

  it('the user changes the password (POST /account/password): in-flight credentials and reset links end; this session and PATs stay', async () => {
    const f = await inFlight();
    const _csrf = csrfFromPage((await t.http.get('/account/password', { cookie: f.u.cookie, headers: HTML })).text);
    const res = await t.http.post('/account/password', {
      cookie: f.u.cookie,
      form: { _csrf, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(303);
    await expectInFlightEnded(f);
    expect(await sessionWorks(f.u.cookie)).toBe(true);
    expect(await sessionWorks(f.otherSession)).toBe(false);
    expect((await api(f.pat)).status).toBe(200);
    await expectFreshOnesWork(f.u, f.u.cookie);
  });

  it('an admin resets the password (POST /admin/users/:id/reset-password): in-flight credentials, reset links and sessions end', async () => {
    const f = await inFlight();
    const res = await t.http.post(`/admin/users/${f.u.user.id}/reset-password`, { cookie: admin.cookie, json: { password: NEW_PASSWORD } });
    expect(res.status).toBe(200);
    await expectInFlightEnded(f);
    expect(await sessionWorks(f.u.cookie)).toBe(false);
  });

  it('a reset link used to set a new password ends the other links and what was in flight', async () => {
    const f = await inFlight();
    const other = await t.get<AccountPasswordService>(AccountPasswordService).issueLink(f.u.user.id, null);
    const otherToken = new URL(other.url).searchParams.get('token')!;
    await new Promise((r) => setTimeout(r, 5));
    const used = await t.http.post('/password-reset', {
      form: { token: otherToken, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      origin: t.baseUrl,
    });
    expect(used.status).toBeLessThan(400);
    // f.resetLink was superseded by `other` already; the rest was in flight before the reset.
    await expectInFlightEnded(f);
    expect(await sessionWorks(f.u.cookie)).toBe(false);
  });

  it('CredentialEpochService.bump (what MFA reset and SSO disabling call): ends what is in flight, empties the credential cache, never moves backwards', async () => {
    const f = await inFlight();
    // Warm the cache with the access token: the bump must reach the cached entry too.
    expect((await api(f.tokens.access_token)).status).toBe(200);
    const epochs = t.get<CredentialEpochService>(CredentialEpochService);
    const at = await epochs.bump(f.u.user.id, 'mfa_reset');
    expect(at).toBeInstanceOf(Date);
    await expectInFlightEnded(f);
    // Sessions and PATs are not its business (the caller ends them when it should).
    expect(await sessionWorks(f.u.cookie)).toBe(true);
    expect((await api(f.pat)).status).toBe(200);
    const row = await t.dataSource.getRepository(User).findOneByOrFail({ id: f.u.user.id });
    expect(row.credentialsRevokedAt!.getTime()).toBe(at!.getTime());
    expect(await epochs.bump('00000000-0000-4000-8000-000000000000', 'test')).toBeNull();
    await expectFreshOnesWork(f.u, f.u.cookie);
  });

  it('a reset link dies on use, on a newer link and after expiry (kept from issue 15)', async () => {
    const u = await createUser(t);
    const passwords = t.get<AccountPasswordService>(AccountPasswordService);
    const older = new URL((await passwords.issueLink(u.user.id, null)).url).searchParams.get('token')!;
    const newer = new URL((await passwords.issueLink(u.user.id, null)).url).searchParams.get('token')!;
    expect(await resetLinkWorks(older)).toBe(false);
    expect(await resetLinkWorks(newer)).toBe(true);
    expect(
      (
        await t.http.post('/password-reset', {
          form: { token: newer, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
          origin: t.baseUrl,
        })
      ).status,
    ).toBeLessThan(400);
    expect(await resetLinkWorks(newer)).toBe(false);
  });
});
