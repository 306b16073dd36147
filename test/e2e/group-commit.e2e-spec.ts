import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { AccessToken } from '../../src/access-tokens/access-token.entity';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken } from '../../src/auth/token-format';
import { GroupCommit } from '../../src/database/group-commit';
import { WriteBatch } from '../../src/database/write-batch';
import { basicAuth, createClient, type TestClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

const N = 24;

/** An audit row as the audit module writes it, with an explicit id. */
const auditRow = (id: string): Partial<AuditEvent> => ({
  id,
  occurredAt: new Date(),
  actorType: 'anonymous',
  action: 'test.group_commit',
  outcome: 'success',
});

describe.each([
  ['on (DB_GROUP_COMMIT_MS=20)', '20'],
  ['off (DB_GROUP_COMMIT_MS=0)', '0'],
])('Group commit of token issuance (issue 27), %s', (_label, windowMs) => {
  let t: TestApp;
  let client: TestClient;

  beforeAll(async () => {
    t = await startTestApp({ DB_GROUP_COMMIT_MS: windowMs, TOKEN_RATE_LIMIT_PER_CLIENT: '10000', TOKEN_RATE_LIMIT_PER_IP: '10000' });
    const { user } = await createUser(t);
    client = await createClient(t, user, { scopes: ['read:device'], introspectionAllowed: true });
  });
  afterAll(async () => {
    if (!t.dataSource.isInitialized) await t.dataSource.initialize();
    await t.close();
  });

  const issue = () =>
    t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials', scope: 'read:device' },
      headers: { authorization: basicAuth(client.clientId, client.secret!) },
    });

  /** The COMMITs the data source ran while `work` ran (TypeORM's logger sees every statement). */
  async function countingCommits<T>(work: () => Promise<T>): Promise<{ result: T; count: number }> {
    const logger = t.dataSource.logger;
    const original = logger.logQuery.bind(logger);
    let count = 0;
    logger.logQuery = (query, parameters, runner) => {
      if (query === 'COMMIT') count++;
      return original(query, parameters, runner);
    };
    try {
      return { result: await work(), count };
    } finally {
      logger.logQuery = original;
    }
  }

  it(`is ${windowMs === '0' ? 'off' : 'on'} as configured`, () => {
    expect(GroupCommit.of(t.dataSource) !== undefined).toBe(windowMs !== '0');
  });

  it('RFC 6749 §4.4.3: N concurrent requests get N tokens, each committed with its audit row before it is answered (RFC 7662 §2.2 active at once)', async () => {
    await issue(); // the client's secret is then a cache hit
    const commits = await countingCommits(() => Promise.all(Array.from({ length: N }, issue)));
    const answers = commits.result;
    expect(answers.map((r) => r.status)).toEqual(Array(N).fill(200));
    // One transaction per request when off; fewer, holding several requests' rows, when on.
    if (windowMs === '0') expect(commits.count).toBe(N);
    else expect(commits.count).toBeLessThan(N);
    const tokens = answers.map((r) => r.body.access_token as string);
    // Each answered token is found by introspection at once: committed before the answer.
    const introspected = await Promise.all(
      tokens.map((token) =>
        t.http.post('/oauth/introspect', { form: { token }, headers: { authorization: basicAuth(client.clientId, client.secret!) } }),
      ),
    );
    expect(introspected.map((r) => r.body.active)).toEqual(Array(N).fill(true));
    const rows = await t.dataSource.getRepository(AccessToken).findBy({ tokenHash: In(tokens.map((x) => hashToken(x))) });
    expect(rows).toHaveLength(N);
    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'token.issue', credentialId: In(rows.map((r) => r.id)) });
    expect(audit).toHaveLength(N);
  });

  it('a batch whose row violates a constraint fails alone: the requests grouped with it are answered and committed', async () => {
    const taken = randomUUID();
    await new WriteBatch(t.dataSource).insert(AuditEvent, auditRow(taken)).commit();
    const fresh = randomUUID();
    const bad = new WriteBatch(t.dataSource).insert(AuditEvent, auditRow(fresh)).insert(AuditEvent, auditRow(taken)).commit();
    const [badResult, ...answers] = await Promise.allSettled([bad, ...Array.from({ length: 6 }, issue)]);
    expect(badResult.status).toBe('rejected');
    const ok = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : 0));
    expect(ok).toEqual(Array(6).fill(200));
    // Nothing of the failed batch was written (its first row neither).
    expect(await t.dataSource.getRepository(AuditEvent).countBy({ id: In([taken, fresh]) })).toBe(1);
    const tokens = answers.map((a) => (a.status === 'fulfilled' ? (a.value.body.access_token as string) : ''));
    expect(await t.dataSource.getRepository(AccessToken).countBy({ tokenHash: In(tokens.map((x) => hashToken(x))) })).toBe(6);
  });

  it('RFC 6749 §5.2: with the database down every request of the batch fails with a clear error, and nothing is written', async () => {
    const before = await t.dataSource.getRepository(AccessToken).countBy({ clientId: client.clientId });
    const pending = Array.from({ length: 4 }, issue);
    await t.dataSource.destroy();
    const answers = await Promise.all(pending);
    await t.dataSource.initialize();
    for (const r of answers) {
      if (r.status === 200) continue; // answered before the pool closed: then it is committed (counted below)
      // As with group commit off: a closed pool is a 500 with an RFC 6749 §5.2 body (a busy database is a 503).
      expect(r.status).toBeGreaterThanOrEqual(500);
      expect(typeof r.body.error).toBe('string');
    }
    const answered = answers.filter((r) => r.status === 200).length;
    expect(await t.dataSource.getRepository(AccessToken).countBy({ clientId: client.clientId })).toBe(before + answered);
  });
});
