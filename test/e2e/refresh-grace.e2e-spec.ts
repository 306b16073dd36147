import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { hashToken } from '../../src/auth/token-format';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Grant } from '../../src/grants/grant.entity';
import { RefreshToken } from '../../src/grants/refresh-token.entity';
import { obtainTokens, refresh, userAndClient } from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';

const LIMITS = { TOKEN_RATE_LIMIT_PER_IP: '100000', TOKEN_RATE_LIMIT_PER_CLIENT: '100000' };
/** Instances of one deployment share SESSION_KEYS (the successor key is derived from it). */
const SESSION_KEYS = Buffer.alloc(32, 7).toString('base64url');

describe('graceful refresh rotation (REFRESH_TOKEN_REUSE_GRACE_SECONDS, default 30): one successor per token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...LIMITS, SESSION_KEYS });
  });
  afterAll(() => t.close());

  const devicesStatus = async (app: TestApp, accessToken: string) => (await app.http.get('/devices', { bearer: accessToken })).status;
  const tokenRow = (token: string) => t.dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: hashToken(token) });
  const familyOf = async (token: string) => t.dataSource.getRepository(Grant).findOneByOrFail({ id: (await tokenRow(token)).grantId });
  const liveRefreshTokens = async (grantId: string) =>
    (await t.dataSource.getRepository(RefreshToken).findBy({ grantId })).filter((r) => !r.rotatedAt && !r.revokedAt);
  /** Moves the token's rotation into the past, as if `seconds` had gone by. */
  const rotatedAgo = (token: string, seconds: number) =>
    t.dataSource.getRepository(RefreshToken).update({ tokenHash: hashToken(token) }, { rotatedAt: new Date(Date.now() - seconds * 1000) });

  async function family() {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    return { user, client, first };
  }

  it('RFC 9700 §4.14.2 (grace): a retry within the window gets the same successor refresh token and a working access token; nothing is revoked', async () => {
    const { client, first } = await family();
    const a = await refresh(t, client, first.refresh_token);
    const b = await refresh(t, client, first.refresh_token);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.refresh_token).toBe(a.body.refresh_token);
    expect(b.body.access_token).toBe(a.body.access_token);
    expect(b.body.scope).toBe(a.body.scope);
    expect(b.body.expires_in).toBeLessThanOrEqual(a.body.expires_in);
    expect(b.headers.get('cache-control')).toBe('no-store');
    expect(await devicesStatus(t, b.body.access_token)).toBe(200);
    expect((await familyOf(first.refresh_token)).revokedAt).toBeNull();
    expect(await liveRefreshTokens((await tokenRow(first.refresh_token)).grantId)).toHaveLength(1);
    // The successor works as usual afterwards.
    const next = await refresh(t, client, b.body.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(b.body.refresh_token);
  });

  it('the retry is audited as refresh.grace_retry, not as reuse', async () => {
    const { user, client, first } = await family();
    await refresh(t, client, first.refresh_token);
    await refresh(t, client, first.refresh_token);
    const events = await t.dataSource.getRepository(AuditEvent).findBy({ targetId: user.user.id });
    expect(events.map((e) => e.action)).toContain('refresh.grace_retry');
    expect(events.map((e) => e.action)).not.toContain('refresh.reuse_detected');
  });

  it('20 parallel presentations of one token: all 200 with the one successor, one live refresh token, nothing revoked', async () => {
    const { client, first } = await family();
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(t, client, first.refresh_token)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.access_token)).size).toBe(1);
    const grantId = (await tokenRow(first.refresh_token)).grantId;
    expect((await familyOf(first.refresh_token)).revokedAt).toBeNull();
    const live = await liveRefreshTokens(grantId);
    expect(live.map((r) => r.tokenHash)).toEqual([hashToken(results[0].body.refresh_token)]);
    expect(await devicesStatus(t, results[0].body.access_token)).toBe(200);
  });

  it('RFC 9700 §4.14.2: a rotated-out token presented after the window is reuse: family revoked, audited', async () => {
    const { client, first } = await family();
    const second = (await refresh(t, client, first.refresh_token)).body;
    await rotatedAgo(first.refresh_token, 31);
    const late = await refresh(t, client, first.refresh_token);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect((await familyOf(first.refresh_token)).revokedReason).toBe('refresh_reuse');
    expect((await refresh(t, client, second.refresh_token)).body.error).toBe('invalid_grant');
    expect(await devicesStatus(t, second.access_token)).toBe(401);
  });

  it('RFC 9700 §4.14.2: a grandparent token (older than the immediate predecessor), even within the window, is reuse', async () => {
    const { client, first } = await family();
    const second = (await refresh(t, client, first.refresh_token)).body;
    const third = (await refresh(t, client, second.refresh_token)).body;
    const res = await refresh(t, client, first.refresh_token);
    expect(res.body.error).toBe('invalid_grant');
    expect((await familyOf(first.refresh_token)).revokedReason).toBe('refresh_reuse');
    expect(await devicesStatus(t, third.access_token)).toBe(401);
  });

  it('once the successor has been used, the predecessor’s grace ends at once: presenting it is reuse', async () => {
    const { client, first } = await family();
    const second = (await refresh(t, client, first.refresh_token)).body;
    const third = (await refresh(t, client, second.refresh_token)).body;
    expect(third.refresh_token).toBeDefined();
    const res = await refresh(t, client, second.refresh_token);
    // second's successor (third) is live, so a retry of second is still in grace...
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBe(third.refresh_token);
    // ...but first's successor (second) has been used: first is reuse.
    expect((await refresh(t, client, first.refresh_token)).body.error).toBe('invalid_grant');
    expect((await familyOf(first.refresh_token)).revokedReason).toBe('refresh_reuse');
  });

  it('a retry asking a different scope still gets the one successor, with the scope it was issued with', async () => {
    const { client, first } = await family();
    const a = await refresh(t, client, first.refresh_token, 'read:device');
    const b = await refresh(t, client, first.refresh_token, 'read:device');
    expect(b.body.refresh_token).toBe(a.body.refresh_token);
    expect(b.body.scope).toBe('read:device');
  });

  it('a revoked family stays revoked: a grace retry after revocation → invalid_grant', async () => {
    const { client, first } = await family();
    await refresh(t, client, first.refresh_token);
    const grantId = (await tokenRow(first.refresh_token)).grantId;
    await t.dataSource.getRepository(Grant).update({ id: grantId }, { revokedAt: new Date(), revokedReason: 'user_revoked' });
    expect((await refresh(t, client, first.refresh_token)).body.error).toBe('invalid_grant');
  });
});

describe('graceful rotation with REFRESH_TOKEN_REUSE_GRACE_SECONDS=0 restores strict behaviour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...LIMITS, REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('RFC 9700 §4.14.2: an immediate retry is reuse and revokes the family', async () => {
    const { user, client } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const second = await refresh(t, client, first.refresh_token);
    expect(second.status).toBe(200);
    const retry = await refresh(t, client, first.refresh_token);
    expect(retry.body.error).toBe('invalid_grant');
    expect((await refresh(t, client, second.body.refresh_token)).body.error).toBe('invalid_grant');
  });
});

describe('graceful rotation on two instances sharing one database', () => {
  let a: TestApp;
  let b: TestApp;
  let sqliteFile: string | undefined;

  beforeAll(async () => {
    const mysql = process.env.DATABASE_URL?.startsWith('mysql://');
    sqliteFile = mysql ? undefined : join(tmpdir(), `gatehouse-two-${randomUUID()}.sqlite`);
    const shared: Record<string, string> = sqliteFile ? { DATABASE_URL: `sqlite:${sqliteFile}` } : {};
    a = await startTestApp({ ...LIMITS, SESSION_KEYS, ...shared });
    b = await startTestApp({ ...LIMITS, SESSION_KEYS, ...shared });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    if (sqliteFile) for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) rmSync(f, { force: true });
  });

  it('20 parallel presentations split across both instances: all 200, one successor, the family intact', async () => {
    const { user, client } = await userAndClient(a);
    const first = await obtainTokens(a, user.cookie, client);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => refresh(i % 2 ? b : a, client, first.refresh_token)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.access_token)).size).toBe(1);
    expect((await b.http.get('/devices', { bearer: results[0].body.access_token })).status).toBe(200);
    const grantId = (await a.dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: hashToken(first.refresh_token) })).grantId;
    expect((await a.dataSource.getRepository(Grant).findOneByOrFail({ id: grantId })).revokedAt).toBeNull();
  });

  it('RFC 9700 §4.14.2 across instances: a grandparent on one instance, or a token past the window on the other, is reuse', async () => {
    const { user, client } = await userAndClient(a);
    const first = await obtainTokens(a, user.cookie, client);
    const second = (await refresh(a, client, first.refresh_token)).body;
    await refresh(b, client, second.refresh_token);
    expect((await refresh(b, client, first.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(a, client, second.refresh_token)).body.error).toBe('invalid_grant');

    const other = await obtainTokens(a, user.cookie, client);
    const next = (await refresh(a, client, other.refresh_token)).body;
    await a.dataSource
      .getRepository(RefreshToken)
      .update({ tokenHash: hashToken(other.refresh_token) }, { rotatedAt: new Date(Date.now() - 31_000) });
    expect((await refresh(b, client, other.refresh_token)).body.error).toBe('invalid_grant');
    expect((await b.http.get('/devices', { bearer: next.access_token })).status).toBe(401);
  });

  it('a retry on the other instance gets the successor; a retry after the successor was used is reuse on either', async () => {
    const { user, client } = await userAndClient(a);
    const first = await obtainTokens(a, user.cookie, client);
    const onA = await refresh(a, client, first.refresh_token);
    const onB = await refresh(b, client, first.refresh_token);
    expect(onB.status).toBe(200);
    expect(onB.body.refresh_token).toBe(onA.body.refresh_token);
    expect((await refresh(b, client, onB.body.refresh_token)).status).toBe(200);
    expect((await refresh(a, client, first.refresh_token)).body.error).toBe('invalid_grant');
  });
});
