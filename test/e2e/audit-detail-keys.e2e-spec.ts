import { nonCamelCaseKeys } from '../../src/audit/audit-details';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { AuditService } from '../../src/audit/audit.service';
import { signedInAdmin } from './support/admin.fixture';
import { deviceClient, deviceUser, enterAndDecide, poll, startDeviceFlow } from './support/device-flow.fixture';
import { obtainTokens, refresh, userAndClient } from './support/oauth-flow.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Audit details use one key style, camelCase, whoever writes them (issue 15). Under test the
 * audit service refuses a snake_case key, so every e2e flow checks itself; this file runs the
 * flows that used snake_case keys and scans what they recorded, and checks that rows written
 * before read as camelCase.
 */
describe('Audit details: camelCase keys everywhere', () => {
  let t: TestApp;
  let started: Date;

  beforeAll(async () => {
    t = await startTestApp({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' });
    started = new Date(Date.now() - 1000);
  });
  afterAll(() => t.close());

  it('records only camelCase detail keys across the code, refresh, reuse, device, revocation and admin flows', async () => {
    const { user, client, owner } = await userAndClient(t);
    const first = await obtainTokens(t, user.cookie, client);
    const second = (await refresh(t, client, first.refresh_token)).body as { refresh_token: string };
    expect((await refresh(t, client, first.refresh_token)).status).toBe(400); // reuse: revokes the family
    await obtainTokens(t, user.cookie, client);
    expect((await t.http.delete(`/account/authorizations/${client.clientId}`, { cookie: user.cookie })).status).toBe(204);
    expect(second.refresh_token).toMatch(/^ghrt_/);

    const dUser = await deviceUser(t);
    const dClient = await deviceClient(t, owner.user);
    const flow = await startDeviceFlow(t, dClient);
    await enterAndDecide(t, dUser, flow.user_code, 'approve');
    expect((await poll(t, dClient, flow.device_code)).status).toBe(200);

    const admin = await signedInAdmin(t);
    await createPat(t, user.cookie);
    expect((await t.http.post(`/admin/users/${user.user.id}/revoke-credentials`, { cookie: admin.cookie })).status).toBe(200);
    expect((await t.http.post(`/admin/users/${user.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);

    const rows = await t.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.occurred_at >= :started', { started })
      .getMany();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of [
      'token.issue',
      'refresh.reuse_detected',
      'authorization.revoke',
      'device_authorization.approve',
      'admin.user.revoke_all',
    ]) {
      if (![...actions].some((x) => x.startsWith(a.split('.')[0]))) throw new Error(`no ${a} event recorded`);
    }
    const bad = rows.flatMap((r) => nonCamelCaseKeys(r.details ? JSON.parse(r.details) : null).map((k) => `${r.action}: ${k}`));
    expect(bad).toEqual([]);
  });

  it('refuses a snake_case detail key under test, so a new one fails its own e2e test', async () => {
    await expect(
      t.get<AuditService>(AuditService).record({ action: 'test.snake', outcome: 'success', details: { family_id: 'x' } }),
    ).rejects.toThrow('audit details of test.snake have keys that are not camelCase: family_id');
  });

  it('shows rows written before the change with camelCase keys (API and export); the rows themselves stay as written', async () => {
    const admin = await signedInAdmin(t);
    const targetId = `old-row-${Date.now()}`;
    await t.dataSource.getRepository(AuditEvent).insert({
      occurredAt: new Date(),
      actorType: 'client',
      action: 'token.issue',
      outcome: 'success',
      targetType: 'user',
      targetId,
      details: JSON.stringify({ grant_type: 'authorization_code', family_id: 'f1', access_token_id: 'a1', refresh_token: true }),
    });
    const res = await t.http.get(`/admin/audit-events?targetId=${targetId}`, { cookie: admin.cookie });
    expect(res.body.items[0].details).toEqual({ grantType: 'authorization_code', familyId: 'f1', accessTokenId: 'a1', refreshToken: true });
    const jsonl = await t.http.get(`/admin/audit-events/export?format=jsonl&targetId=${targetId}`, { cookie: admin.cookie });
    expect(jsonl.text).toContain('"familyId":"f1"');
    expect(jsonl.text).not.toContain('family_id');
    const stored = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ targetId });
    expect(stored.details).toContain('family_id');
  });
});
