import { AuditEvent } from '../../src/audit/audit-event.entity';
import { AUDIT_ACTION } from '../../src/audit/audit-action.decorator';
import { AUDIT_RESOURCE } from '../../src/audit/audit-resource.decorator';
import { generateToken, redactToken } from '../../src/auth/token-format';
import { createDevice } from './support/devices.fixture';
import type { HttpResponse } from './support/http-client';
import { userWithPat } from './support/personal-tokens.fixture';
import { controllersOf, routesOf } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';

/** Item 16 of issue 9: refusals by the guard are on record like any other audited request. */
describe('audit of refusals (OWASP ASVS 5.0 V16.3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** The one row a request wrote (found by its request id: the table is shared on MySQL). */
  async function rowOf(res: HttpResponse): Promise<AuditEvent> {
    const requestId = res.headers.get('x-request-id')!;
    const rows = await t.dataSource.getRepository(AuditEvent).findBy({ requestId });
    expect(rows).toHaveLength(1);
    return rows[0];
  }
  const details = (e: AuditEvent) => JSON.parse(e.details ?? '{}') as Record<string, unknown>;

  it('ASVS V16.3.2: a 403 insufficient_scope (read-only PAT writing a device) is recorded as denied with the PAT id', async () => {
    const { user, pat } = await userWithPat(t, ['read:device']);
    const res = await t.http.post('/devices', { bearer: pat.token, json: { name: 'Nope' } });
    expect(res.status).toBe(403);
    const row = await rowOf(res);
    expect(row).toMatchObject({
      action: 'device.create',
      outcome: 'denied',
      actorType: 'user',
      actorId: user.id,
      credentialKind: 'pat',
      credentialId: pat.id,
    });
    expect(details(row)).toMatchObject({ method: 'POST', route: '/devices', status: 403, error: 'insufficient_scope' });
    expect(row.details).not.toContain(pat.token);
  });

  it('ASVS V16.3.1: a 401 with an unknown PAT is recorded as denied with the kind presented and its redacted form, never the secret', async () => {
    const token = generateToken(PAT_TOKEN);
    const res = await t.http.post('/devices', { bearer: token, json: { name: 'Nope' } });
    expect(res.status).toBe(401);
    const row = await rowOf(res);
    expect(row).toMatchObject({
      action: 'device.create',
      outcome: 'denied',
      actorType: 'anonymous',
      actorId: null,
      credentialKind: 'pat',
      credentialId: null,
    });
    expect(details(row)).toMatchObject({ status: 401, error: 'invalid_token', credential: redactToken(token) });
    expect(row.details).not.toContain(token);
    expect(row.details).not.toContain(token.slice(6, 30));
  });

  it('ASVS V16.3.1: a revoked PAT on a device write is recorded; a malformed bearer value is recorded as an unknown kind', async () => {
    const { cookie, pat } = await userWithPat(t, ['write:device']);
    await t.http.delete(`/account/tokens/${pat.id}`, { cookie });
    const revoked = await t.http.delete(`/devices/00000000-0000-4000-8000-000000000000`, { bearer: pat.token });
    expect(revoked.status).toBe(401);
    expect(await rowOf(revoked)).toMatchObject({ action: 'device.remove', outcome: 'denied', credentialKind: 'pat', targetType: 'device' });

    const junk = await t.http.post('/devices', { bearer: 'not-a-token-at-all', json: { name: 'x' } });
    expect(junk.status).toBe(401);
    const row = await rowOf(junk);
    expect(row).toMatchObject({ outcome: 'denied', credentialKind: 'unknown', credentialId: null });
    expect(row.details).not.toContain('not-a-token-at-all');
  });

  it('ASVS V16.3.2: a non-admin on GET /admin/users is recorded as admin.user.list denied with their session', async () => {
    const u = await signedInUser(t);
    const res = await t.http.get('/admin/users', { cookie: u.cookie });
    expect(res.status).toBe(403);
    const row = await rowOf(res);
    expect(row).toMatchObject({ action: 'admin.user.list', outcome: 'denied', actorId: u.user.id, credentialKind: 'session' });
    expect(row.credentialId).toEqual(expect.any(String));
  });

  it('ASVS V16.3.1: an anonymous request to an admin route is recorded as denied', async () => {
    const res = await t.http.get('/admin/users');
    expect(res.status).toBe(401);
    expect(await rowOf(res)).toMatchObject({ action: 'admin.user.list', outcome: 'denied', actorType: 'anonymous', credentialKind: null });
  });

  it('does not record refusals on routes that are not audited (a read with an unknown token)', async () => {
    const res = await t.http.get('/devices', { bearer: generateToken(PAT_TOKEN) });
    expect(res.status).toBe(401);
    expect(await t.dataSource.getRepository(AuditEvent).countBy({ requestId: res.headers.get('x-request-id')! })).toBe(0);
  });

  it('records the status code a successful request really answered (201 created, 204 deleted)', async () => {
    const { cookie } = await signedInUser(t);
    const res = await t.http.post('/devices', { cookie, json: { name: 'Kitchen' } });
    expect(res.status).toBe(201);
    expect(details(await rowOf(res))).toMatchObject({ status: 201 });
    const device = await createDevice(t, cookie);
    const del = await t.http.delete(`/devices/${device.id}`, { cookie });
    expect(del.status).toBe(204);
    expect(details(await rowOf(del))).toMatchObject({ status: 204 });
  });

  it('every unsafe route of an @AuditResource controller declares its action name (never derived from a method name)', () => {
    const undeclared = controllersOf(t.app)
      .filter((c) => Reflect.getMetadata(AUDIT_RESOURCE, c))
      .flatMap((c) => routesOf([c]).map((r) => ({ ...r, c })))
      .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
      .filter((r) => !Reflect.getMetadata(AUDIT_ACTION, (r.c.prototype as Record<string, object>)[r.handler]))
      .map((r) => `${r.method} ${r.path}`);
    expect(controllersOf(t.app).some((c) => Reflect.getMetadata(AUDIT_RESOURCE, c))).toBe(true);
    expect(undeclared).toEqual([]);
  });
});
