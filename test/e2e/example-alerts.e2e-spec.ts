import { Module } from '@nestjs/common';
import { AlertsController } from '../../examples/alerts/alerts.controller';
import { AlertsModule } from '../../examples/alerts/alerts.module';
import { Alerts1764000810000 } from '../../examples/alerts/migrations/1764000810000-alerts';
import { AppModule } from '../../src/app.module';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ScopeRegistry } from '../../src/auth/scope-registry';
import { pendingSchemaChanges } from '../medium/support/schema-diff';
import { createDevice } from './support/devices.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { describeRoute, fastifyRoutes, routesOf, routeShape } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/** The app plus the example module: what the one line in app.module.ts does for a real module. */
@Module({ imports: [AppModule, AlertsModule] })
class AppWithAlerts {}

/**
 * docs/adding-a-module.md, proved: the `alerts` example (examples/alerts/) built only with the
 * steps the guide names, run inside the real app over HTTP, on SQLite and on MariaDB.
 */
describe('example module: alerts (docs/adding-a-module.md)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { root: AppWithAlerts });
    // The guide's migration step. A real module lists its migration in src/migrations/
    // index.ts; the example's runs here so the app's own migration list stays untouched.
    const runner = t.dataSource.createQueryRunner();
    try {
      if (!(await runner.hasTable('alerts'))) await new Alerts1764000810000().up(runner);
    } finally {
      await runner.release();
    }
  });
  afterAll(() => t.close());

  it('its entity matches its migration (the schema drift check)', async () => {
    expect(await pendingSchemaChanges(t.dataSource)).toEqual([]);
  });

  it('declares auth on every route with registered scopes (the route-auth snapshot lines it adds)', () => {
    const lines = routesOf([AlertsController]).map(describeRoute).sort();
    expect(lines).toEqual([
      'DELETE /devices/:deviceId/alerts/:alertId  schemes=bearer,cookie scopes=write:alert',
      'GET /devices/:deviceId/alerts  schemes=bearer,cookie scopes=read:alert',
      'POST /devices/:deviceId/alerts  schemes=bearer,cookie scopes=write:alert',
    ]);
    expect(t.get<ScopeRegistry>(ScopeRegistry).unknown(['read:alert', 'write:alert'])).toEqual([]);
    // Fastify merges `/devices/:id` and `/devices/:deviceId/alerts` into `/:id|:deviceId`.
    const served = fastifyRoutes(t.app).map((r) => `${r.method} ${routeShape(r.path)}`);
    expect(served).toEqual(expect.arrayContaining(['GET /devices/:/alerts', 'DELETE /devices/:/alerts/:', 'GET /devices/:']));
  });

  it('creates, lists and deletes a device’s alerts, audited with the alert as target', async () => {
    const owner = await signedInUser(t);
    const device = await createDevice(t, owner.cookie);
    const created = await t.http.post(`/devices/${device.id}/alerts`, { cookie: owner.cookie, json: { metric: 'co2', threshold: 1000 } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      deviceId: device.id,
      metric: 'co2',
      threshold: 1000,
      enabled: true,
      createdAt: expect.any(String),
    });

    const list = await t.http.get(`/devices/${device.id}/alerts`, { cookie: owner.cookie });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [created.body], nextCursor: null });

    expect((await t.http.delete(`/devices/${device.id}/alerts/${created.body.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await t.http.get(`/devices/${device.id}/alerts`, { cookie: owner.cookie })).body.items).toEqual([]);
    expect((await t.http.delete(`/devices/${device.id}/alerts/${created.body.id}`, { cookie: owner.cookie })).status).toBe(404);

    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ actorId: owner.user.id });
    const actions = audit.filter((e) => e.action.startsWith('alert.')).map((e) => [e.action, e.outcome, e.targetType, e.targetId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['alert.create', 'success', 'alert', created.body.id],
        // The alert, not the device: the route keeps the parent parameter's own name.
        ['alert.remove', 'success', 'alert', created.body.id],
      ]),
    );
  });

  it('pages newest first with the shared keyset cursor', async () => {
    const owner = await signedInUser(t);
    const device = await createDevice(t, owner.cookie);
    for (const threshold of [1, 2, 3]) {
      expect(
        (await t.http.post(`/devices/${device.id}/alerts`, { cookie: owner.cookie, json: { metric: 'radon', threshold } })).status,
      ).toBe(201);
    }
    const first = await t.http.get(`/devices/${device.id}/alerts?limit=2`, { cookie: owner.cookie });
    expect(first.body.items.map((a: { threshold: number }) => a.threshold)).toEqual([3, 2]);
    const second = await t.http.get(`/devices/${device.id}/alerts?limit=2&cursor=${first.body.nextCursor}`, { cookie: owner.cookie });
    expect(second.body).toEqual({ items: [expect.objectContaining({ threshold: 1 })], nextCursor: null });
  });

  it('hides another user’s device as 404, never 403 (row access: owner or admin)', async () => {
    const owner = await signedInUser(t);
    const other = await signedInUser(t);
    const device = await createDevice(t, owner.cookie);
    expect((await t.http.get(`/devices/${device.id}/alerts`, { cookie: other.cookie })).status).toBe(404);
    expect(
      (await t.http.post(`/devices/${device.id}/alerts`, { cookie: other.cookie, json: { metric: 'co2', threshold: 5 } })).status,
    ).toBe(404);
    const admin = await signedInUser(t, { roles: ['admin'] });
    expect((await t.http.get(`/devices/${device.id}/alerts`, { cookie: admin.cookie })).status).toBe(200);
  });

  it('RFC 6750 §3.1: a token with read:alert only reads; a write is 403 insufficient_scope', async () => {
    const owner = await signedInUser(t);
    const device = await createDevice(t, owner.cookie);
    const pat = await createPat(t, owner.cookie, ['read:alert']);
    expect((await t.http.get(`/devices/${device.id}/alerts`, { bearer: pat.token })).status).toBe(200);
    const write = await t.http.post(`/devices/${device.id}/alerts`, { bearer: pat.token, json: { metric: 'co2', threshold: 5 } });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await t.http.get(`/devices/${device.id}/alerts`)).status).toBe(401);
  });

  it('bad input is a 400, never a 500', async () => {
    const owner = await signedInUser(t);
    const device = await createDevice(t, owner.cookie);
    const post = (json: unknown) => t.http.post(`/devices/${device.id}/alerts`, { cookie: owner.cookie, json });
    expect((await post({ metric: 'smoke', threshold: 1 })).status).toBe(400);
    expect((await post({ metric: 'co2', threshold: 'high' })).status).toBe(400);
    expect((await post({ metric: 'co2', threshold: 1e308 })).status).toBe(400);
    expect((await post({ metric: 'co2', threshold: 1, enabled: 'yes' })).status).toBe(400);
    expect((await t.http.get('/devices/not-a-uuid/alerts', { cookie: owner.cookie })).status).toBe(400);
    expect((await t.http.get(`/devices/${device.id}/alerts?cursor=garbage`, { cookie: owner.cookie })).status).toBe(400);
  });
});
