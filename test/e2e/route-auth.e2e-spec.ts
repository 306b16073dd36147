import { Controller, Get, Post } from '@nestjs/common';
import { Authenticated, Scopes } from '../../src/auth/decorators/authenticated.decorator';
import { Public } from '../../src/auth/decorators/public.decorator';
import { ScopeRegistry } from '../../src/auth/scope-registry';
import * as path from 'node:path';
import {
  controllersOf,
  DeclaredRoute,
  describeRoute,
  fastifyRoutes,
  parseRouteTree,
  routeLineChanges,
  routesOf,
  routeShape,
  snapshotLines,
} from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Routes Fastify serves that are not Nest controllers, so the global guard never sees them.
 * Each is deliberately public and serves nothing but documentation or static files.
 */
const SNAPSHOT_FILE = path.join(__dirname, '__snapshots__', 'route-auth.e2e-spec.ts.snap');
const UPDATE_COMMAND = 'npx jest test/e2e/route-auth.e2e-spec.ts -u';

/** 'all' under `jest -u`; Jest keeps it on its (untyped) snapshot state. */
function snapshotUpdateMode(): string | undefined {
  return (expect.getState() as { snapshotState?: { _updateSnapshot?: string } }).snapshotState?._updateSnapshot;
}

const FRAMEWORK_ROUTES: { pattern: RegExp; what: string; probe: string }[] = [
  { pattern: /^\/docs(\/.*)?$/, what: 'OpenAPI UI (swagger-ui-dist files)', probe: '/docs' },
  { pattern: /^\/docs-(json|yaml)$/, what: 'OpenAPI document', probe: '/docs-json' },
  // @fastify/static's catch-all, mounted under /static/ (printRoutes shows it as a bare `*`).
  { pattern: /^\/?\*$/, what: 'static files under /static/', probe: '/static/style.css' },
];

describe('route auth declarations (run with -u after adding routes; see docs/testing.md)', () => {
  let t: TestApp;
  let routes: DeclaredRoute[];

  beforeAll(async () => {
    t = await startTestApp();
    routes = routesOf(controllersOf(t.app));
  });
  afterAll(() => t.close());

  it('finds the routes (sanity check of the enumeration)', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map(describeRoute)).toEqual(
      expect.arrayContaining(['POST /auth/login  public', 'GET /devices  schemes=bearer,cookie,secret scopes=read:device']),
    );
  });

  it('every controller route carries an explicit @Public() or @Authenticated()/@Scopes()', () => {
    const undeclared = routes.filter((r) => !r.auth).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('every required scope is registered in the ScopeRegistry', () => {
    const registry = t.get<ScopeRegistry>(ScopeRegistry);
    const unknown = routes.flatMap((r) =>
      r.auth && !r.auth.public ? registry.unknown(r.auth.scopes).map((s) => `${r.method} ${r.path} requires unregistered scope ${s}`) : [],
    );
    expect(unknown).toEqual([]);
  });

  it('every route Fastify serves is a controller route or a known, public framework route', async () => {
    // Compared by shape: Fastify merges sibling parameters (`/devices/:id|:deviceId/alerts`).
    const served = fastifyRoutes(t.app).map((r) => ({ method: r.method, shape: routeShape(r.path), path: r.path }));
    expect(served.map((r) => `${r.method} ${r.shape}`)).toEqual(expect.arrayContaining(['POST /devices/:/samples', 'GET /docs-json']));
    const nest = new Set(routes.map((r) => `${r.method} ${routeShape(r.path)}`));
    const strangers = served.filter(
      (r) => !nest.has(`${r.method} ${r.shape}`) && !(r.method === 'GET' && FRAMEWORK_ROUTES.some((f) => f.pattern.test(r.path))),
    );
    expect(strangers).toEqual([]);
    for (const f of FRAMEWORK_ROUTES) {
      expect({ probe: f.probe, status: (await t.http.get(f.probe)).status }).toEqual({ probe: f.probe, status: 200 });
    }
  });

  it('matches the checked-in snapshot', () => {
    const lines = [...routes.map(describeRoute), ...FRAMEWORK_ROUTES.map((f) => `GET ${f.probe}  public (framework: ${f.what})`)].sort();
    // Jest's own snapshot failure is a line diff of the whole list; name the routes instead.
    // Skipped under -u (Jest then rewrites the snapshot) and when none is stored yet.
    const stored = snapshotLines(SNAPSHOT_FILE, `${expect.getState().currentTestName} 1`);
    const changes = stored ? routeLineChanges(stored, lines) : [];
    if (changes.length > 0 && snapshotUpdateMode() !== 'all') {
      throw new Error(
        [
          'The routes differ from the checked-in route-auth snapshot:',
          ...changes.map((c) => `  ${c}`),
          '',
          `If every change is intended, update the snapshot with \`${UPDATE_COMMAND}\``,
          'and commit test/e2e/__snapshots__/route-auth.e2e-spec.ts.snap (see docs/testing.md).',
        ].join('\n'),
      );
    }
    expect(lines).toMatchSnapshot();
  });

  describe('the checks themselves', () => {
    @Controller('fixture')
    class FixtureController {
      @Public() @Get('open') open() {}
      @Scopes('read:device') @Get('scoped') scoped() {}
      @Authenticated({ schemes: ['cookie'], page: true }) @Get('page') page() {}
      @Get('forgotten') forgotten() {}
      @Scopes('no:such-scope') @Post('unknown-scope') unknownScope() {}
      helper() {}
    }

    @Public()
    @Controller(['both', 'aliases'])
    class PublicController {
      @Get() index() {}
      @Scopes('admin') @Post() override() {}
    }

    it('flags a route without a declaration and describes the others', () => {
      const lines = routesOf([FixtureController, PublicController]).map(describeRoute).sort();
      expect(lines).toEqual([
        'GET /aliases  public',
        'GET /both  public',
        'GET /fixture/forgotten  UNDECLARED',
        'GET /fixture/open  public',
        'GET /fixture/page  schemes=cookie scopes=- page',
        'GET /fixture/scoped  schemes=bearer,cookie scopes=read:device',
        'POST /aliases  schemes=bearer,cookie scopes=admin',
        'POST /both  schemes=bearer,cookie scopes=admin',
        'POST /fixture/unknown-scope  schemes=bearer,cookie scopes=no:such-scope',
      ]);
    });

    it('reads sibling routes whose parameters are named differently (Fastify prints `:id|:deviceId`)', () => {
      const tree = [
        '└── /devices (GET, HEAD)',
        '    └── /:id|:deviceId (GET, HEAD, PATCH)',
        '        ├── /alerts (GET, HEAD, POST)',
        '        │   └── /:alertId (DELETE)',
        '        └── /samples (GET, HEAD)',
      ].join('\n');
      const parsed = parseRouteTree(tree).map((r) => `${r.method} ${routeShape(r.path)}`);
      expect(parsed).toEqual([
        'GET /devices',
        'GET /devices/:',
        'PATCH /devices/:',
        'GET /devices/:/alerts',
        'POST /devices/:/alerts',
        'DELETE /devices/:/alerts/:',
        'GET /devices/:/samples',
      ]);
      expect(routeShape('/devices/:deviceId/alerts/:alertId')).toBe('/devices/:/alerts/:');
    });

    it('names each new, changed and removed route for the failure message', () => {
      const before = ['GET /a  public', 'GET /b  schemes=cookie scopes=-', 'POST /gone  public'];
      const after = ['GET /a  public', 'GET /b  schemes=bearer scopes=read:b', 'POST /new  public'];
      expect(routeLineChanges(before, after)).toEqual([
        'changed: GET /b  schemes=bearer scopes=read:b   (was: schemes=cookie scopes=-)',
        'new:     POST /new  public',
        'removed: POST /gone  public',
      ]);
    });

    it('reads the stored snapshot it compares against', () => {
      const stored = snapshotLines(
        SNAPSHOT_FILE,
        'route auth declarations (run with -u after adding routes; see docs/testing.md) matches the checked-in snapshot 1',
      );
      expect(stored).toEqual(
        expect.arrayContaining(['POST /auth/login  public', 'GET /devices  schemes=bearer,cookie,secret scopes=read:device']),
      );
    });

    it('flags a scope the registry does not know', () => {
      const registry = t.get<ScopeRegistry>(ScopeRegistry);
      const scopes = routesOf([FixtureController]).flatMap((r) => (r.auth && !r.auth.public ? r.auth.scopes : []));
      expect(registry.unknown(scopes)).toEqual(['no:such-scope']);
    });
  });
});
