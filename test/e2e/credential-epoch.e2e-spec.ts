import { TOKEN_EXCHANGE_GRANT } from '../../src/clients/client-types';
import { AccountPasswordService } from '../../src/account/account-password.service';
import { CredentialEpochService } from '../../src/users/credential-epoch.service';
import { User } from '../../src/users/user.entity';
import { signedInAdmin, SignedIn } from './support/admin.fixture';
import { createClient } from './support/clients.fixture';
import { deviceClient, poll } from './support/device-flow.fixture';
import {
  expectFreshOnesWork,
  expectInFlightEnded,
  IN_FLIGHT_ENV,
  inFlight,
  InFlightClients,
  NEW_PASSWORD,
  readApi,
  resetLinkWorks,
  sessionWorks,
} from './support/in-flight.fixture';
import { exchangeCode, refresh, registerClient, TestClient } from './support/oauth-flow.fixture';
import { HTML } from './support/pages.fixture';
import { createPat, csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn, TEST_PASSWORD } from './support/users.fixture';

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
  let rs: { clientId: string; secret?: string };
  let exchange: InFlightClients['exchange'];

  beforeAll(async () => {
    t = await startTestApp(IN_FLIGHT_ENV);
    admin = await signedInAdmin(t);
    owner = await createUser(t);
    codeClient = await registerClient(t, owner.user, { grantTypes: ['authorization_code', 'refresh_token'] });
    devClient = await deviceClient(t, owner.user);
    rs = await createClient(t, owner.user, { introspectionAllowed: true });
    const exchangeClient = await createClient(t, owner.user, { grantTypes: [TOKEN_EXCHANGE_GRANT], scopes: ['read:device'] });
    exchange = { client: exchangeClient, actorToken: (await createPat(t, admin.cookie, ['impersonate', 'read:device'])).token };
  });
  afterAll(() => t.close());

  const clients = (): InFlightClients => ({ code: codeClient, device: devClient, exchange });
  const api = (bearer: string) => readApi(t, bearer);

  it('the control: without an event, everything in flight works', async () => {
    const f = await inFlight(t, clients());
    expect((await exchangeCode(t, codeClient, f.code.code, f.code.verifier)).status).toBe(200);
    expect((await poll(t, devClient, f.deviceCode)).status).toBe(200);
    expect((await refresh(t, codeClient, f.tokens.refresh_token)).status).toBe(200);
    expect((await api(f.deviceTokens.access_token)).status).toBe(200);
    expect(await resetLinkWorks(t, f.resetLink)).toBe(true);
  });

  it('admin revoke-all (POST /admin/users/:id/revoke-credentials): codes, device codes, refresh families, access tokens, reset links, sessions and PATs all end', async () => {
    const f = await inFlight(t, clients());
    expect((await t.http.post(`/admin/users/${f.u.user.id}/revoke-credentials`, { cookie: admin.cookie })).status).toBe(200);
    await expectInFlightEnded(t, f, { rs });
    expect(await sessionWorks(t, f.u.cookie)).toBe(false);
    expect(await sessionWorks(t, f.otherSession)).toBe(false);
    expect((await api(f.pat)).status).toBe(401);
    await expectFreshOnesWork(t, f.u, await signIn(t, f.u.email), clients());
  });

  it('disabling the user: everything ends, and stays ended when the account is enabled again', async () => {
    const f = await inFlight(t, clients());
    expect((await t.http.post(`/admin/users/${f.u.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
    // While disabled, the PAT is refused too (every strategy checks the status).
    expect((await api(f.pat)).status).toBe(401);
    expect((await t.http.post(`/admin/users/${f.u.user.id}/enable`, { cookie: admin.cookie })).status).toBe(200);
    await expectInFlightEnded(t, f, { rs });
    expect(await sessionWorks(t, f.u.cookie)).toBe(false);
    expect(await sessionWorks(t, f.otherSession)).toBe(false);
    // Disabling is a suspension for the keys the user made on purpose: the PAT works again (revoke-all ends it).
    expect((await api(f.pat)).status).toBe(200);
    await expectFreshOnesWork(t, f.u, await signIn(t, f.u.email), clients());
  });

  it('the user changes the password (POST /account/password): in-flight credentials and reset links end; this session and PATs stay', async () => {
    const f = await inFlight(t, clients());
    const _csrf = csrfFromPage((await t.http.get('/account/password', { cookie: f.u.cookie, headers: HTML })).text);
    const res = await t.http.post('/account/password', {
      cookie: f.u.cookie,
      form: { _csrf, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(303);
    await expectInFlightEnded(t, f, { rs });
    expect(await sessionWorks(t, f.u.cookie)).toBe(true);
    expect(await sessionWorks(t, f.otherSession)).toBe(false);
    expect((await api(f.pat)).status).toBe(200);
    await expectFreshOnesWork(t, f.u, f.u.cookie, clients());
  });

  it('an admin resets the password (POST /admin/users/:id/reset-password): in-flight credentials, reset links and sessions end', async () => {
    const f = await inFlight(t, clients());
    const res = await t.http.post(`/admin/users/${f.u.user.id}/reset-password`, { cookie: admin.cookie, json: { password: NEW_PASSWORD } });
    expect(res.status).toBe(200);
    await expectInFlightEnded(t, f, { rs });
    expect(await sessionWorks(t, f.u.cookie)).toBe(false);
    expect(await sessionWorks(t, f.otherSession)).toBe(false);
    // A PAT is a key the user made on purpose, not a sign-in: it stays (revoke-all ends it).
    expect((await api(f.pat)).status).toBe(200);
  });

  it('a reset link used to set a new password ends the other links and what was in flight', async () => {
    const f = await inFlight(t, clients());
    const other = await t.get<AccountPasswordService>(AccountPasswordService).issueLink(f.u.user.id, null);
    const otherToken = new URL(other.url).searchParams.get('token')!;
    await new Promise((r) => setTimeout(r, 5));
    const used = await t.http.post('/password-reset', {
      form: { token: otherToken, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      origin: t.baseUrl,
    });
    expect(used.status).toBeLessThan(400);
    // f.resetLink was superseded by `other` already; the rest was in flight before the reset.
    await expectInFlightEnded(t, f, { rs });
    expect(await sessionWorks(t, f.u.cookie)).toBe(false);
    expect((await api(f.pat)).status).toBe(200);
  });

  it('CredentialEpochService.bump (what MFA reset and SSO disabling call): ends what is in flight, empties the credential cache, never moves backwards', async () => {
    const f = await inFlight(t, clients());
    // Warm the cache with the access token: the bump must reach the cached entry too.
    expect((await api(f.tokens.access_token)).status).toBe(200);
    const epochs = t.get<CredentialEpochService>(CredentialEpochService);
    const at = await epochs.bump(f.u.user.id, 'mfa_reset');
    expect(at).toBeInstanceOf(Date);
    await expectInFlightEnded(t, f, { rs });
    // Sessions and PATs are not its business (the caller ends them when it should).
    expect(await sessionWorks(t, f.u.cookie)).toBe(true);
    expect((await api(f.pat)).status).toBe(200);
    const row = await t.dataSource.getRepository(User).findOneByOrFail({ id: f.u.user.id });
    expect(row.credentialsRevokedAt!.getTime()).toBe(at!.getTime());
    expect(await epochs.bump('00000000-0000-4000-8000-000000000000', 'test')).toBeNull();
    await expectFreshOnesWork(t, f.u, f.u.cookie, clients());
  });

  it('a reset link dies on use, on a newer link and after expiry (kept from issue 15)', async () => {
    const u = await createUser(t);
    const passwords = t.get<AccountPasswordService>(AccountPasswordService);
    const older = new URL((await passwords.issueLink(u.user.id, null)).url).searchParams.get('token')!;
    const newer = new URL((await passwords.issueLink(u.user.id, null)).url).searchParams.get('token')!;
    expect(await resetLinkWorks(t, older)).toBe(false);
    expect(await resetLinkWorks(t, newer)).toBe(true);
    expect(
      (
        await t.http.post('/password-reset', {
          form: { token: newer, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
          origin: t.baseUrl,
        })
      ).status,
    ).toBeLessThan(400);
    expect(await resetLinkWorks(t, newer)).toBe(false);
  });
});
