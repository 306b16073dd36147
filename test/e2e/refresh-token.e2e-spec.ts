import { rawQuery } from '../support/shared-database';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken } from '../../src/auth/token-format';
import { Grant } from '../../src/grants/grant.entity';
import { RefreshToken } from '../../src/grants/refresh-token.entity';
import { obtainTokens, refresh, registerClient, userAndClient } from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';

// Strict rotation (REFRESH_TOKEN_REUSE_GRACE_SECONDS=0): any second use is reuse. The grace
// window is covered by refresh-grace.e2e-spec.ts.
describe('refresh tokens (strict, grace 0): rotation, reuse detection, lifetimes, scope, concurrency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      TOKEN_RATE_LIMIT_PER_IP: '100000',
      TOKEN_RATE_LIMIT_PER_CLIENT: '100000',
      REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0',
    });
  });
  afterAll(() => t.close());

  const devicesStatus = async (accessToken: string) => (await t.http.get('/devices', { bearer: accessToken })).status;
  const tokenRow = (token: string) => t.dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: hashToken(token) });

  it('RFC 6749 §6 / RFC 9700 §4.14.2: a refresh returns a new access and refresh token; the old refresh token stops working', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const res = await refresh(t, client, first.refresh_token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.access_token).toMatch(/^ghat_/);
    expect(res.body.refresh_token).toMatch(/^ghrt_/);
    expect(res.body.refresh_token).not.toBe(first.refresh_token);
    expect(res.body.scope).toBe('read:device');
    expect(await devicesStatus(res.body.access_token)).toBe(200);
    expect((await tokenRow(first.refresh_token)).rotatedAt).not.toBeNull();
  });

  it('RFC 9700 §4.14.2: presenting a rotated-out token revokes its whole family (refresh and access tokens) → invalid_grant, audited with the family id', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const second = (await refresh(t, client, first.refresh_token)).body;

    const replay = await refresh(t, client, first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(t, client, second.refresh_token)).body.error).toBe('invalid_grant');
    expect(await devicesStatus(second.access_token)).toBe(401);
    expect(await devicesStatus(first.access_token)).toBe(401);

    const familyId = (await tokenRow(first.refresh_token)).grantId;
    expect((await t.dataSource.getRepository(Grant).findOneByOrFail({ id: familyId })).revokedReason).toBe('refresh_reuse');
    const events = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'refresh.reuse_detected' });
    const event = events.find((e) => e.targetId === user.user.id);
    expect(event).toBeDefined();
    expect(JSON.parse(event!.details!)).toEqual({ familyId });
    expect(event!.details).not.toContain('ghrt_');
  });

  it('RFC 9700 §4.14.2: reuse revokes exactly its family; other grants of the same user and client are untouched', async () => {
    const { user, client } = await userAndClient(t);
    const familyA = await obtainTokens(t, user.cookie, client);
    const familyB = await obtainTokens(t, user.cookie, client);
    await refresh(t, client, familyA.refresh_token);
    expect((await refresh(t, client, familyA.refresh_token)).body.error).toBe('invalid_grant');

    expect(await devicesStatus(familyB.access_token)).toBe(200);
    const b = await refresh(t, client, familyB.refresh_token);
    expect(b.status).toBe(200);
    expect(await devicesStatus(b.body.access_token)).toBe(200);
  });

  it('RFC 6749 §6: a scope on refresh may narrow; omitting it later gives back the full original grant', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client, { scope: 'read:device write:device' });
    expect(first.scope).toBe('read:device write:device');
    const narrowed = await refresh(t, client, first.refresh_token, 'read:device');
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('read:device');
    expect((await t.http.post('/devices', { bearer: narrowed.body.access_token, json: { name: 'x' } })).status).toBe(403);
    const full = await refresh(t, client, narrowed.body.refresh_token);
    expect(full.body.scope).toBe('read:device write:device');
  });

  it('RFC 6749 §6: a scope on refresh beyond the original grant → invalid_scope, and the refresh token still works', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client, { scope: 'read:device' });
    const widened = await refresh(t, client, first.refresh_token, 'read:device write:device');
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe('invalid_scope');
    expect((await refresh(t, client, first.refresh_token)).status).toBe(200);
  });

  it('RFC 6749 §6 / §10.4: a refresh token is bound to its client → invalid_grant for another client', async () => {
    const { user, client, owner } = await userAndClient(t);
    const other = await registerClient(t, owner.user);
    const first = await obtainTokens(t, user.cookie, client);
    const res = await refresh(t, other, first.refresh_token);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect((await refresh(t, client, first.refresh_token)).status).toBe(200);
  });

  it('RFC 9700 §4.14.2: rotation never extends past the family absolute lifetime (default 30 days)', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const row = await tokenRow(first.refresh_token);
    const family = await t.dataSource.getRepository(Grant).findOneByOrFail({ id: row.grantId });
    const days = (family.expiresAt.getTime() - family.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(30, 5);
    // Idle lifetime (default 14 days) applies to each token.
    expect((row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000).toBeCloseTo(14, 5);

    // Near the family's end, a rotated token expires with the family, not 14 days later.
    const soon = new Date(Date.now() + 60_000);
    await t.dataSource.getRepository(Grant).update({ id: family.id }, { expiresAt: soon });
    const second = await refresh(t, client, first.refresh_token);
    expect(second.status).toBe(200);
    expect((await tokenRow(second.body.refresh_token)).expiresAt.getTime()).toBeLessThanOrEqual(soon.getTime());

    await t.dataSource.getRepository(Grant).update({ id: family.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await refresh(t, client, second.body.refresh_token);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe('invalid_grant');
  });

  it('RFC 6749 §6: a refresh token past its idle lifetime → invalid_grant', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const row = await tokenRow(first.refresh_token);
    await t.dataSource.getRepository(RefreshToken).update({ id: row.id }, { expiresAt: new Date(Date.now() - 1000) });
    const res = await refresh(t, client, first.refresh_token);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('RFC 6749 §5.2: malformed, unknown or missing refresh tokens → invalid_grant / invalid_request', async () => {
    const { client } = await userAndClient(t);
    expect((await refresh(t, client, 'nonsense')).body.error).toBe('invalid_grant');
    expect((await refresh(t, client, 'ghrt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).body.error).toBe('invalid_grant');
    expect((await refresh(t, client, '')).body.error).toBe('invalid_request');
  });

  it('effective scopes = granted ∩ current permissions: a demoted user gets only what they still hold', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client, { scope: 'read:device write:device' });
    await rawQuery(t.dataSource, 'UPDATE users SET roles = ? WHERE id = ?', ['viewer', user.user.id]);
    // The existing access token loses the scope at once (computed at request time).
    expect((await t.http.post('/devices', { bearer: first.access_token, json: { name: 'x' } })).status).toBe(403);
    const res = await refresh(t, client, first.refresh_token);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('read:device');
  });

  it('a disabled user: access tokens stop working and refresh → invalid_grant', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    await rawQuery(t.dataSource, 'UPDATE users SET status = ? WHERE id = ?', ['disabled', user.user.id]);
    expect(await devicesStatus(first.access_token)).toBe(401);
    expect((await refresh(t, client, first.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('RFC 7009 §2.1: revoking a refresh token at /oauth/revoke ends its family, access tokens included', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const res = await t.http.post('/oauth/revoke', { form: { token: first.refresh_token, client_id: client.clientId } });
    expect(res.status).toBe(200);
    expect((await refresh(t, client, first.refresh_token)).body.error).toBe('invalid_grant');
    expect(await devicesStatus(first.access_token)).toBe(401);
  });

  it('RFC 9700 §4.14.2: 20 concurrent refreshes with one token → exactly one 200, 19 invalid_grant, and the family is revoked as reuse', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(t, client, first.refresh_token)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(19);
    // The losers presented a rotated-out token: that is reuse, so the winner's new tokens are dead too.
    expect((await refresh(t, client, ok[0].body.refresh_token)).body.error).toBe('invalid_grant');
    expect(await devicesStatus(ok[0].body.access_token)).toBe(401);
  });
});
