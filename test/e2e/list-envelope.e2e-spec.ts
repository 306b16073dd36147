import { randomUUID } from 'node:crypto';
import { ExternalIdentity } from '../../src/sso-connections/external-identity.entity';
import { SsoConnection } from '../../src/sso-connections/sso-connection.entity';
import { ImpersonationTokensService } from '../../src/impersonation/impersonation-tokens.service';
import { signedInAdmin } from './support/admin.fixture';
import { createBot, createBotToken } from './support/bots.fixture';
import { createDevice, sampleBatch } from './support/devices.fixture';
import { obtainTokens, registerClient } from './support/oauth-flow.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn } from './support/users.fixture';

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Operation {
  parameters?: { name: string; in: string }[];
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** How to reach one list route: a concrete path and the credential that may read it. */
interface ListCall {
  path: string;
  cookie?: string;
  bearer?: string;
}

const okSchema = (op: Operation): Schema | undefined => op.responses?.['200']?.content?.['application/json']?.schema;

/**
 * Every JSON list route answers one envelope, `{ items, nextCursor }`, with an opaque keyset
 * cursor (issue 15). The list routes come from the OpenAPI document, so a new route documented
 * as a plain array fails here, and a new paged route fails until it has a fixture below.
 */
describe('List routes: one envelope { items, nextCursor }, cursor pages without overlap', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  let calls: Record<string, ListCall>;

  const resolve = (s: Schema | undefined): Schema | undefined =>
    s?.$ref ? doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] : s;
  const isPage = (s: Schema | undefined) => {
    const props = resolve(s)?.properties ?? {};
    return props.items?.type === 'array' && 'nextCursor' in props;
  };
  const getOps = () => Object.entries(doc.paths).flatMap(([path, ops]) => (ops.get ? [{ path, op: ops.get }] : []));

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs-json')).body as OpenApiDoc;

    // One admin owns at least two of everything, so each list has a second page at limit=1.
    const admin = await signedInAdmin(t);
    await signIn(t, admin.email);
    for (const name of ['one', 'two']) {
      await createPat(t, admin.cookie, ['read:device'], { name });
      expect(
        (
          await t.http.post('/developer/clients', {
            cookie: admin.cookie,
            json: { name, type: 'public', redirectUris: ['https://app.example.test/cb'], scopes: ['read:device'] },
          })
        ).status,
      ).toBe(201);
    }
    const device = await createDevice(t, admin.cookie);
    await createDevice(t, admin.cookie);
    expect((await t.http.post(`/devices/${device.id}/samples`, { cookie: admin.cookie, json: { samples: sampleBatch(3) } })).status).toBe(
      201,
    );
    const bot = await createBot(t, admin.cookie);
    await createBot(t, admin.cookie, { name: 'Second bot' });
    const botToken = await createBotToken(t, admin.cookie, bot.id);
    for (const name of ['a', 'b']) expect((await t.http.post('/devices', { bearer: botToken.token, json: { name } })).status).toBe(201);
    for (const name of ['App one', 'App two']) await obtainTokens(t, admin.cookie, await registerClient(t, admin.user, { name }));
    const subject = await createUser(t);
    const impersonations = t.get<ImpersonationTokensService>(ImpersonationTokensService);
    for (const reason of ['ticket 1', 'ticket 2']) {
      await impersonations.issue({
        subjectUserId: subject.user.id,
        actorUserId: admin.user.id,
        clientId: null,
        scopes: ['read:device'],
        reason,
        ttlSeconds: 600,
      });
    }
    await createUser(t);
    // Two SSO connections and two identities of one user, as saved (saving through the API fetches the IdP's discovery).
    const connectionIds: string[] = [];
    for (const slug of ['envelope-one', 'envelope-two']) {
      const id = randomUUID();
      const now = new Date();
      await t.dataSource.getRepository(SsoConnection).insert({
        id,
        slug: `${slug}-${id.slice(0, 8)}`,
        name: slug,
        issuer: `https://${slug}.invalid`,
        clientId: 'gatehouse',
        clientSecretSealed: 'not-opened-here',
        scopes: ['openid', 'email'],
        emailClaim: 'email',
        nameClaim: 'name',
        allowedDomains: [],
        requiredDomains: [],
        defaultRoles: [],
        enabled: false,
        trustEmail: false,
        upstreamMfa: false,
        createdAt: now,
        updatedAt: now,
      });
      connectionIds.push(id);
    }
    for (const connectionId of connectionIds) {
      const now = new Date();
      await t.dataSource.getRepository(ExternalIdentity).insert({
        id: randomUUID(),
        connectionId,
        userId: subject.user.id,
        issuer: `https://${connectionId}.invalid`,
        subject: randomUUID(),
        email: subject.email,
        createdAt: now,
        lastSignInAt: now,
      });
    }

    const cookie = admin.cookie;
    calls = {
      '/admin/users': { path: '/admin/users', cookie },
      '/admin/users/{id}/credentials': { path: `/admin/users/${admin.user.id}/credentials`, cookie },
      '/admin/clients': { path: '/admin/clients', cookie },
      '/admin/bots': { path: '/admin/bots', cookie },
      '/admin/sso/connections': { path: '/admin/sso/connections', cookie },
      '/admin/users/{id}/identities': { path: `/admin/users/${subject.user.id}/identities`, cookie },
      '/admin/impersonations': { path: '/admin/impersonations', cookie },
      '/admin/audit-events': { path: '/admin/audit-events', cookie },
      '/developer/clients': { path: '/developer/clients', cookie },
      '/account/sessions': { path: '/account/sessions', cookie },
      '/account/tokens': { path: '/account/tokens', cookie },
      '/account/authorizations': { path: '/account/authorizations', cookie },
      '/account/bots': { path: '/account/bots', cookie },
      '/account/bots/{id}/activity': { path: `/account/bots/${bot.id}/activity`, cookie },
      '/account/security-events': { path: '/account/security-events', cookie },
      '/devices': { path: '/devices', cookie },
      '/devices/{id}/samples': { path: `/devices/${device.id}/samples`, cookie },
    };
  });
  afterAll(() => t.close());

  it('documents no GET route as a plain array: lists are pages', () => {
    const arrays = getOps()
      .filter(({ op }) => resolve(okSchema(op))?.type === 'array')
      .map(({ path }) => path);
    expect(arrays).toEqual([]);
  });

  it('gives every paged route the limit and cursor query parameters and a fixture here', () => {
    const paged = getOps().filter(({ op }) => isPage(okSchema(op)));
    expect(paged.length).toBeGreaterThanOrEqual(15);
    for (const { path, op } of paged) {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect([path, query]).toEqual([path, expect.arrayContaining(['limit', 'cursor'])]);
    }
    expect(paged.map((p) => p.path).filter((p) => !calls[p])).toEqual([]);
  });

  it('answers no GET route without path parameters with a JSON array', async () => {
    const found: string[] = [];
    for (const { path } of getOps().filter(({ path }) => !path.includes('{'))) {
      const res = await t.http.get(path, { cookie: calls['/account/tokens'].cookie, headers: { accept: 'application/json' } });
      if (Array.isArray(res.body)) found.push(path);
    }
    expect(found).toEqual([]);
  });

  it('pages every list route: limit=1 pages, followed by nextCursor, equal the first three items with no overlap', async () => {
    const problems: string[] = [];
    for (const { path } of getOps().filter(({ op }) => isPage(okSchema(op)))) {
      const call = calls[path];
      const get = async (query: string) => {
        const res = await t.http.get(`${call.path}?${query}`, {
          cookie: call.cookie,
          bearer: call.bearer,
          headers: { accept: 'application/json' },
        });
        if (res.status !== 200) throw new Error(`${path}?${query}: ${res.status} ${res.text}`);
        return res.body as { items: unknown[]; nextCursor: string | null };
      };
      const withCursor = (limit: number, cursor: string) => get(`limit=${limit}&cursor=${encodeURIComponent(cursor)}`);
      const first = await get('limit=1');
      expect(Object.keys(first).sort()).toEqual(['items', 'nextCursor']);
      expect(first.items.length).toBeLessThanOrEqual(1);
      if (!first.nextCursor) {
        problems.push(`${path}: no second page at limit=1 (the fixture needs two items)`);
        continue;
      }
      // Reading some lists adds to them (an audited GET is a new newest audit event), so the
      // comparison starts after the first page: what comes after a cursor does not move.
      const two = await withCursor(2, first.nextCursor);
      const walked: unknown[] = [];
      for (let cursor: string | null = first.nextCursor, i = 0; cursor && i < 2; i++) {
        const page = await withCursor(1, cursor);
        expect(page.items.length).toBeLessThanOrEqual(1);
        walked.push(...page.items);
        cursor = page.nextCursor;
      }
      const ids = [...first.items, ...walked].map((item) => JSON.stringify(item));
      if (new Set(ids).size !== ids.length) problems.push(`${path}: pages overlap`);
      if (JSON.stringify(walked) !== JSON.stringify(two.items)) problems.push(`${path}: two pages of 1 differ from one page of 2`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses a cursor that is not one of its own with 400, not 500', async () => {
    for (const path of [
      '/admin/clients',
      '/account/tokens',
      '/account/authorizations',
      '/admin/users/{id}/credentials',
      '/devices/{id}/samples',
    ]) {
      const res = await t.http.get(`${calls[path].path}?cursor=not-a-cursor`, {
        cookie: calls[path].cookie,
        headers: { accept: 'application/json' },
      });
      expect([path, res.status]).toEqual([path, 400]);
    }
  });
});
