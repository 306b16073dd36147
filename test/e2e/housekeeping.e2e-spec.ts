import { DeviceAuthorization } from '../../src/device-authorization/device-authorization.entity';
import { AccessToken } from '../../src/access-tokens/access-token.entity';
import { AuthorizationCode } from '../../src/grants/authorization-code.entity';
import { RefreshToken } from '../../src/grants/refresh-token.entity';
import { Grant } from '../../src/grants/grant.entity';
import { HousekeepingLease } from '../../src/housekeeping/housekeeping-lease.entity';
import { HousekeepingService } from '../../src/housekeeping/housekeeping.service';
import { credentialCacheInvalidations } from '../../src/metrics/metrics';
import { CredentialCache } from '../../src/auth/credential-cache';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { Session } from '../../src/sessions/session.entity';
import { PasswordResetLink } from '../../src/account/password-reset-link.entity';
import { ClientSecret } from '../../src/clients/client-secret.entity';
import { PurgeTaskRegistry } from '../../src/housekeeping/purge-task';
import { randomBytes, randomUUID } from 'node:crypto';
import { MfaFactorLock } from '../../src/mfa/mfa-factor-lock.entity';
import { PasskeyChallenge } from '../../src/passkeys/passkey-challenge.entity';
import { clientCredentialsToken, createClient } from './support/clients.fixture';
import { obtainTokens, refresh, registerClient } from './support/oauth-flow.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { deviceClient, poll, startDeviceFlow } from './support/device-flow.fixture';
import { startIsolatedTestApp } from './support/admin.fixture';
import { TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';
import { hashToken as sha256Hex } from '../../src/auth/token-format';

/**
 * Issue 11: housekeeping deletes credentials that ended (expired, revoked, consumed) more than the
 * retention ago, in small batches, under a lease that one instance holds at a time, and nothing else.
 */
describe('housekeeping purge', () => {
  let t: TestApp;
  const DAY = 86_400_000;
  const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
  const exists = async (entity: new () => object, id: string) => (await t.dataSource.getRepository(entity).countBy({ id } as never)) === 1;
  const run = () => t.get<HousekeepingService>(HousekeepingService).runOnce();

  beforeAll(async () => {
    // An isolated database: the lease row is global state.
    process.env.HOUSEKEEPING_BATCH_SIZE = '2';
    t = await startIsolatedTestApp();
    delete process.env.HOUSEKEEPING_BATCH_SIZE;
  });
  afterAll(() => t.close());

  it('deletes what ended before the retention (30 days), in batches, and keeps the rest', async () => {
    const u = await signedInUser(t);
    const pats = await Promise.all(Array.from({ length: 6 }, () => createPat(t, u.cookie)));
    const patRepo = t.dataSource.getRepository(PersonalToken);
    for (const p of pats.slice(0, 4)) await patRepo.update(p.id, { revokedAt: daysAgo(40) }); // purged (2 batches of 2)
    await patRepo.update(pats[4].id, { revokedAt: daysAgo(10) }); // revoked recently: kept
    // pats[5] live: kept

    const oldSession = await signedInUser(t);
    const sessions = t.dataSource.getRepository(Session);
    const [oldRow] = await sessions.findBy({ userId: oldSession.user.id });
    await sessions.update(oldRow.id, { revokedAt: daysAgo(31) });
    const [liveSession] = await sessions.findBy({ userId: u.user.id });

    const client = await createClient(t, u.user);
    const oldAccess = await clientCredentialsToken(t, client);
    const freshAccess = await clientCredentialsToken(t, client);
    const access = t.dataSource.getRepository(AccessToken);
    const oldAccessRow = (await access.findOneBy({ tokenHash: sha256Hex(oldAccess) }))!;
    await access.update(oldAccessRow.id, { expiresAt: daysAgo(31) });
    const freshAccessRow = (await access.findOneBy({ tokenHash: sha256Hex(freshAccess) }))!;

    const appClient = await registerClient(t, u.user);
    const pair = await obtainTokens(t, u.cookie, appClient);
    const rotated = await refresh(t, appClient, pair.refresh_token);
    expect(rotated.status).toBe(200);
    const refreshRepo = t.dataSource.getRepository(RefreshToken);
    const consumed = (await refreshRepo.findOneBy({ tokenHash: sha256Hex(pair.refresh_token) }))!;
    await refreshRepo.update(consumed.id, { rotatedAt: daysAgo(31) });
    const current = (await refreshRepo.findOneBy({ tokenHash: sha256Hex(rotated.body.refresh_token) }))!;
    const codes = t.dataSource.getRepository(AuthorizationCode);
    const [code] = await codes.findBy({ userId: u.user.id, clientId: appClient.clientId });
    await codes.update(code.id, { expiresAt: daysAgo(31) });

    const result = await run();
    expect(result.ran).toBe(true);

    for (const p of pats.slice(0, 4)) expect(await exists(PersonalToken, p.id)).toBe(false);
    for (const p of pats.slice(4)) expect(await exists(PersonalToken, p.id)).toBe(true);
    expect(await exists(Session, oldRow.id)).toBe(false);
    expect(await exists(Session, liveSession.id)).toBe(true);
    expect(await exists(AccessToken, oldAccessRow.id)).toBe(false);
    expect(await exists(AccessToken, freshAccessRow.id)).toBe(true);
    expect(await exists(RefreshToken, consumed.id)).toBe(false);
    expect(await exists(RefreshToken, current.id)).toBe(true);
    expect(await exists(AuthorizationCode, code.id)).toBe(false);
    // The survivors still work.
    expect((await t.http.get('/devices', { bearer: pats[5].token })).status).toBe(200);
    expect((await t.http.get('/devices', { bearer: freshAccess })).status).toBe(200);
    expect((await refresh(t, appClient, rotated.body.refresh_token)).status).toBe(200);
    if (result.ran)
      expect(result.deleted).toMatchObject({
        personal_access_tokens: 4,
        sessions: 1,
        oauth_access_tokens: 1,
        refresh_tokens: 1,
        authorization_codes: 1,
      });
  });

  it('purges grants (refresh-token families) that ended before the retention, with their tokens, and keeps the live family', async () => {
    const u = await signedInUser(t);
    const appClient = await registerClient(t, u.user);
    const ended = await obtainTokens(t, u.cookie, appClient);
    const live = await obtainTokens(t, u.cookie, appClient);
    const refreshRepo = t.dataSource.getRepository(RefreshToken);
    const endedToken = (await refreshRepo.findOneBy({ tokenHash: sha256Hex(ended.refresh_token) }))!;
    const liveToken = (await refreshRepo.findOneBy({ tokenHash: sha256Hex(live.refresh_token) }))!;
    const grants = t.dataSource.getRepository(Grant);
    await grants.update(endedToken.grantId, { revokedAt: daysAgo(31), revokedReason: 'user_revoked' });
    await refreshRepo.update(endedToken.id, { revokedAt: daysAgo(31) });

    const result = await run();
    expect(result.ran && result.deleted.authorization_grants).toBe(1);
    expect(await exists(Grant, endedToken.grantId)).toBe(false);
    expect(await exists(RefreshToken, endedToken.id)).toBe(false);
    expect(await exists(Grant, liveToken.grantId)).toBe(true);
    expect((await refresh(t, appClient, live.refresh_token)).status).toBe(200);
  });

  it('purges device authorizations (RFC 8628 §3.2) whose device code expired before the retention, whatever their status, and keeps the rest', async () => {
    const u = await signedInUser(t);
    const client = await deviceClient(t, u.user);
    const [old, oldDenied, recent, live] = [
      await startDeviceFlow(t, client),
      await startDeviceFlow(t, client),
      await startDeviceFlow(t, client),
      await startDeviceFlow(t, client),
    ];
    const rows = t.dataSource.getRepository(DeviceAuthorization);
    const row = (code: string) => rows.findOneByOrFail({ deviceCodeHash: sha256Hex(code) });
    const [oldRow, deniedRow, recentRow, liveRow] = [
      await row(old.device_code),
      await row(oldDenied.device_code),
      await row(recent.device_code),
      await row(live.device_code),
    ];
    await rows.update(oldRow.id, { expiresAt: daysAgo(31) });
    await rows.update(deniedRow.id, { expiresAt: daysAgo(45), status: 'denied', decidedAt: daysAgo(45) });
    await rows.update(recentRow.id, { expiresAt: daysAgo(29) }); // expired, but within the retention

    const result = await run();
    expect(result.ran && result.deleted.device_authorizations).toBe(2);
    expect(await exists(DeviceAuthorization, oldRow.id)).toBe(false);
    expect(await exists(DeviceAuthorization, deniedRow.id)).toBe(false);
    expect(await exists(DeviceAuthorization, recentRow.id)).toBe(true);
    expect(await exists(DeviceAuthorization, liveRow.id)).toBe(true);
    // The live request still works: a poll is answered authorization_pending (RFC 8628 §3.5).
    const pending = await poll(t, client, live.device_code);
    expect(pending.body.error).toBe('authorization_pending');
  });

  it('every table with an end column (expires_at) has a purge task registered by its module: nothing that ends grows for ever', async () => {
    // The lease is one row per name, taken over again and again: it never grows.
    const ending = t.dataSource.entityMetadatas
      .filter((m) => m.tableName !== 'housekeeping_leases' && m.columns.some((c) => c.databaseName === 'expires_at'))
      .map((m) => m.tableName);
    const purged = t
      .get<PurgeTaskRegistry>(PurgeTaskRegistry)
      .all()
      .map((task) => task.name);
    expect(ending.length).toBeGreaterThanOrEqual(10);
    expect(ending.filter((table) => !purged.includes(table))).toEqual([]);
  });

  it('purges passkey challenges and MFA factor leases that expired before the retention (issue 25), and keeps the rest', async () => {
    const challenges = t.dataSource.getRepository(PasskeyChallenge);
    const challenge = (expiresAt: Date) =>
      challenges.save(
        challenges.create({
          purpose: 'sign-in',
          bindingHash: sha256Hex(randomBytes(8).toString('hex')),
          challenge: randomBytes(16).toString('base64url'),
          userId: null,
          createdAt: expiresAt,
          expiresAt,
        }),
      );
    const old = await challenge(daysAgo(40));
    const recent = await challenge(daysAgo(1)); // expired, but within the retention: kept
    const live = await challenge(new Date(Date.now() + 60_000));
    const locks = t.dataSource.getRepository(MfaFactorLock);
    const u = await signedInUser(t);
    const fresh = await signedInUser(t);
    await locks.insert({ userId: u.user.id, holder: randomUUID(), expiresAt: daysAgo(40) });
    await locks.insert({ userId: fresh.user.id, holder: randomUUID(), expiresAt: new Date(Date.now() + 10_000) });

    await run();
    expect(await exists(PasskeyChallenge, old.id)).toBe(false);
    expect(await exists(PasskeyChallenge, recent.id)).toBe(true);
    expect(await exists(PasskeyChallenge, live.id)).toBe(true);
    expect(await locks.countBy({ userId: u.user.id })).toBe(0);
    expect(await locks.countBy({ userId: fresh.user.id })).toBe(1);
  });

  it('purges password-reset links and client secrets that ended before the retention, and keeps the rest', async () => {
    const u = await signedInUser(t);
    const links = t.dataSource.getRepository(PasswordResetLink);
    const link = (expiresAt: Date, usedAt: Date | null) =>
      links.save(
        links.create({
          userId: u.user.id,
          tokenHash: randomBytes(32).toString('hex'),
          createdBy: null,
          createdAt: expiresAt,
          expiresAt,
          usedAt,
        }),
      );
    const [oldLink, oldUsed, recentLink] = [
      await link(daysAgo(31), null),
      await link(daysAgo(40), daysAgo(40)),
      await link(daysAgo(29), null),
    ];

    const client = await createClient(t, u.user);
    const secrets = t.dataSource.getRepository(ClientSecret);
    const [current] = await secrets.findBy({ clientId: client.clientId });
    const secret = (expiresAt: Date | null, revokedAt: Date | null) =>
      secrets.save(
        secrets.create({
          clientId: client.clientId,
          secretHash: randomBytes(32).toString('hex'),
          hint: 'ghcs_…test',
          createdAt: daysAgo(60),
          expiresAt,
          revokedAt,
        }),
      );
    const [rotatedOut, revoked, inGrace] = [
      await secret(daysAgo(31), null),
      await secret(null, daysAgo(31)),
      await secret(daysAgo(2), null),
    ];

    const result = await run();
    expect(result.ran && result.deleted).toMatchObject({ password_reset_links: 2, client_secrets: 2 });
    expect(await exists(PasswordResetLink, oldLink.id)).toBe(false);
    expect(await exists(PasswordResetLink, oldUsed.id)).toBe(false);
    expect(await exists(PasswordResetLink, recentLink.id)).toBe(true);
    expect(await exists(ClientSecret, rotatedOut.id)).toBe(false);
    expect(await exists(ClientSecret, revoked.id)).toBe(false);
    expect(await exists(ClientSecret, inGrace.id)).toBe(true);
    expect(await exists(ClientSecret, current.id)).toBe(true);
    // The current secret still authenticates its client.
    expect(await clientCredentialsToken(t, client)).toMatch(/^ghat_/);
  });

  it('leaves the credential cache alone: what it deletes ended long ago, so no instance’s cache is emptied, batch after batch', async () => {
    const u = await signedInUser(t);
    const live = await createPat(t, u.cookie);
    const ended = await Promise.all(Array.from({ length: 5 }, () => createPat(t, u.cookie)));
    const patRepo = t.dataSource.getRepository(PersonalToken);
    for (const p of ended) await patRepo.update(p.id, { revokedAt: daysAgo(40) });
    const localInvalidations = async () =>
      (await credentialCacheInvalidations.get()).values.find((v) => v.labels.origin === 'local')?.value ?? 0;
    expect((await t.http.get('/devices', { bearer: live.token })).status).toBe(200); // cached now
    const before = await localInvalidations();

    const result = await run();
    expect(result.ran && result.deleted.personal_access_tokens).toBe(5); // 3 batches of 2, with lease renewals between
    expect(await localInvalidations()).toBe(before);
    expect(t.get<CredentialCache>(CredentialCache).stats().size).toBeGreaterThan(0);
  });

  it('does nothing while another instance holds the lease, and runs once it has expired', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    await t.dataSource.getRepository(PersonalToken).update(pat.id, { revokedAt: daysAgo(40) });
    const leases = t.dataSource.getRepository(HousekeepingLease);
    await leases.update({ name: 'purge' }, { holder: 'another-instance', expiresAt: new Date(Date.now() + 60_000) });

    expect(await run()).toEqual({ ran: false });
    expect(await exists(PersonalToken, pat.id)).toBe(true);

    await leases.update({ name: 'purge' }, { expiresAt: daysAgo(1) });
    expect((await run()).ran).toBe(true);
    expect(await exists(PersonalToken, pat.id)).toBe(false);
  });
});
