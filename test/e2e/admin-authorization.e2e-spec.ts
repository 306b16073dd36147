import type { Type } from '@nestjs/common';
import { AUDIT_ACTION } from '../../src/audit/audit-action.decorator';
import { AdminModule } from '../../src/admin/admin.module';
import { signedInAdmin } from './support/admin.fixture';
import { controllersOf, DeclaredRoute, routesOf } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

const SOME_UUID = '00000000-0000-4000-8000-000000000000';

/** A concrete URL for a route pattern: every `:param` becomes a well-formed id. */
function concrete(path: string): string {
  return path.replace(/:kind\b/g, 'session').replace(/:[A-Za-z]+/g, SOME_UUID);
}

describe('admin authorization: deny by default on every /admin route', () => {
  let t: TestApp;
  let adminRoutes: DeclaredRoute[];

  beforeAll(async () => {
    t = await startTestApp();
    adminRoutes = routesOf(controllersOf(t.app)).filter((r) => r.path === '/admin' || r.path.startsWith('/admin/'));
  });
  afterAll(() => t.close());

  it('finds the admin routes (sanity check of the walk)', () => {
    const seen = adminRoutes.map((r) => `${r.method} ${r.path}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /admin/users',
        'POST /admin/users/:id/disable',
        'GET /admin/audit-events/export',
        'GET /admin/ui/audit',
      ]),
    );
    expect(adminRoutes.length).toBeGreaterThan(20);
  });

  it('every admin route requires the admin scope, and every admin page is cookie-only', () => {
    const wrong = adminRoutes.filter((r) => !r.auth || r.auth.public || !r.auth.scopes.includes('admin'));
    expect(wrong.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const pages = adminRoutes.filter((r) => r.path.startsWith('/admin/ui'));
    expect(pages.length).toBeGreaterThan(5);
    expect(
      pages.filter((r) => r.auth && !r.auth.public && (!r.auth.page || r.auth.schemes.join() !== 'cookie')).map((r) => r.path),
    ).toEqual([]);
  });

  it('every /admin route, whichever module serves it, is audited (@AuditAction with an admin.* action)', () => {
    const controllers = controllersOf(t.app);
    const inAdminModule = routesOf(Reflect.getMetadata('controllers', AdminModule) as Type[]);
    expect(inAdminModule.length).toBeGreaterThan(20);
    const unaudited = adminRoutes.filter((r) => {
      const controller = controllers.find((c) => c.name === r.controller) as Type;
      const meta = Reflect.getMetadata(AUDIT_ACTION, controller.prototype[r.handler]) as { action: string } | undefined;
      return !meta?.action.startsWith('admin.');
    });
    expect(unaudited.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // The clients module's admin API is covered too, not only the admin module's own controllers.
    expect(adminRoutes.some((r) => r.controller === 'AdminClientsController')).toBe(true);
  });

  it('a signed-in non-admin gets 403 insufficient_scope on every admin route', async () => {
    const { cookie } = await signedInUser(t, { roles: ['user', 'viewer'] });
    const results = [];
    for (const r of adminRoutes) {
      const res = await t.http.request(r.method, concrete(r.path), { cookie, json: r.method === 'GET' ? undefined : {} });
      results.push({ route: `${r.method} ${r.path}`, status: res.status, error: res.body?.error });
    }
    expect(results.filter((x) => x.status !== 403 || x.error !== 'insufficient_scope')).toEqual([]);
  });

  it('anonymous API clients get 401 on every admin route', async () => {
    const results = [];
    for (const r of adminRoutes) {
      const res = await t.http.request(r.method, concrete(r.path), {
        json: r.method === 'GET' ? undefined : {},
        headers: { accept: 'application/json' },
      });
      results.push({ route: `${r.method} ${r.path}`, status: res.status, error: res.body?.error });
    }
    expect(results.filter((x) => x.status !== 401 || x.error !== 'unauthorized')).toEqual([]);
  });

  it('anonymous browsers are sent to sign in from every admin page, and never served one', async () => {
    const pages = adminRoutes.filter((r) => r.auth && !r.auth.public && r.auth.page);
    const results = [];
    for (const r of pages) {
      const res = await t.http.request(r.method, concrete(r.path), {
        headers: { accept: 'text/html' },
        form: r.method === 'GET' ? undefined : { x: '1' },
      });
      results.push({ route: `${r.method} ${r.path}`, status: res.status, location: res.headers.get('location') ?? '' });
    }
    expect(results.filter((x) => x.status !== 303 || !x.location.startsWith('/login?next='))).toEqual([]);
  });

  it('an admin reaches the same routes (none answers 401 or 403 to them)', async () => {
    const admin = await signedInAdmin(t);
    const gets = adminRoutes.filter((r) => r.method === 'GET');
    for (const r of gets) {
      const res = await t.http.get(concrete(r.path).replace(/\/export$/, '/export?format=csv'), { cookie: admin.cookie });
      expect({ route: r.path, status: res.status }).toEqual({ route: r.path, status: res.status === 404 ? 404 : 200 });
    }
  });
});
