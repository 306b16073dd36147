import type { Logger as TypeOrmLogger } from 'typeorm';
import { CredentialCache } from '../../src/auth/credential-cache';
import { basicAuth, clientCredentialsToken, createClient, TestClient } from './support/clients.fixture';
import { createDevice } from './support/devices.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/**
 * SQL statements per hot-path request, counted by a TypeORM logger on the real app (issue 16).
 * These are the budgets of docs/performance.md: a change that adds a query to a hot path fails
 * here. "Warm" means the credential was used just before (the cache holds it); "cold" means the
 * cache was emptied first.
 */
describe('SQL statements per hot-path request', () => {
  let t: TestApp;
  let statements: string[];
  let cookie: string;
  let pat: string;
  let client: TestClient;
  let accessToken: string;

  beforeAll(async () => {
    // The mail outbox polls every 10 minutes here (the most it allows): its poll is no request's statement, and on a loaded
    // machine it landed inside a counted request now and then.
    t = await startTestApp({ CREDENTIAL_CACHE_TTL_MS: '1000', RATE_LIMIT_PER_IP_PER_MINUTE: '0', MAIL_OUTBOX_POLL_MS: '600000' });
    const u = await signedInUser(t);
    cookie = u.cookie;
    pat = (await createPat(t, cookie, ['read:device', 'write:device'])).token;
    await createDevice(t, cookie, { name: 'counted' });
    client = await createClient(t, u.user, { grantTypes: ['client_credentials'], scopes: ['read:device'], introspectionAllowed: true });
    accessToken = await clientCredentialsToken(t, client);
    statements = [];
    const counting: Partial<TypeOrmLogger> = {
      logQuery: (query: string) => void statements.push(query),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    (t.dataSource as unknown as { logger: TypeOrmLogger }).logger = counting as TypeOrmLogger;
  });
  afterAll(() => t.close());

  /** Statements one request ran, after the same request once (warm) or with the cache emptied (cold). */
  async function count(send: () => Promise<{ status: number }>, mode: 'warm' | 'cold'): Promise<string[]> {
    expect((await send()).status).toBeLessThan(300);
    if (mode === 'cold') t.get<CredentialCache>(CredentialCache).invalidateAll();
    statements.length = 0;
    expect((await send()).status).toBeLessThan(300);
    return [...statements];
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it.each([
    { label: 'GET /health', expected: 0, send: () => t.http.get('/health') },
    { label: 'GET /me by PAT', expected: 0, send: () => t.http.get('/me', { headers: bearer(pat) }) },
    { label: 'GET /me by OAuth access token', expected: 0, send: () => t.http.get('/me', { headers: bearer(accessToken) }) },
    { label: 'GET /me by session cookie', expected: 0, send: () => t.http.get('/me', { cookie }) },
    {
      label: 'GET /me by client secret',
      expected: 0,
      send: () => t.http.get('/me', { headers: { authorization: `Secret ${client.secret}` } }),
    },
    {
      label: 'GET /devices?limit=20 by PAT (the list itself)',
      expected: 1,
      send: () => t.http.get('/devices?limit=20', { headers: bearer(pat) }),
    },
    {
      label: 'POST /oauth/introspect (RFC 7662)',
      expected: 0,
      send: () =>
        t.http.post('/oauth/introspect', {
          form: { token: accessToken },
          headers: { authorization: basicAuth(client.clientId, client.secret!) },
        }),
    },
  ])('$label, credential cached: $expected statements', async ({ send, expected }) => {
    expect(await count(send, 'warm')).toHaveLength(expected);
  });

  it.each([
    { label: 'GET /me by PAT', send: () => t.http.get('/me', { headers: bearer(pat) }) },
    { label: 'GET /me by OAuth access token', send: () => t.http.get('/me', { headers: bearer(accessToken) }) },
    { label: 'GET /me by session cookie', send: () => t.http.get('/me', { cookie }) },
  ])('$label, cache empty: one SELECT', async ({ send }) => {
    const ran = await count(send, 'cold');
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatch(/^SELECT/i);
  });

  it('client_credentials issuance: the token and its audit row in one transaction (4 statements, 1 commit)', async () => {
    const issue = () =>
      t.http.post('/oauth/token', {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basicAuth(client.clientId, client.secret!) },
      });
    const ran = await count(issue, 'warm');
    expect(ran.map((q) => q.trim().split(/\s+/, 2).join(' ').toUpperCase())).toEqual([
      expect.stringMatching(/^(BEGIN|START TRANSACTION)/),
      expect.stringMatching(/^INSERT INTO/),
      expect.stringMatching(/^INSERT INTO/),
      'COMMIT',
    ]);
    expect(ran.filter((q) => /oauth_access_tokens/.test(q))).toHaveLength(1);
    expect(ran.filter((q) => /audit_events/.test(q))).toHaveLength(1);
  });
});
