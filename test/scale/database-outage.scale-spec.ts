import { AuditEvent } from '../../src/audit/audit-event.entity';
import { AuditService } from '../../src/audit/audit.service';
import { auditEventsWrittenLate } from '../../src/metrics/metrics';
import { basicAuth, createClient } from '../e2e/support/clients.fixture';
import { createPat } from '../e2e/support/personal-tokens.fixture';
import { startTestApp, TestApp } from '../e2e/support/test-app';
import { signedInUser } from '../e2e/support/users.fixture';
import { databaseUrl, freshDatabase } from './support/instance';
import { TcpProxy } from './support/tcp-proxy';

/**
 * Issue 11: a database outage answers 503 + Retry-After (never 500), and service resumes within
 * 5 s of the database coming back, without a restart. The app reaches MariaDB through a TCP proxy
 * that the test stops and starts: the shared server itself is never touched.
 */
describe('database outage', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let pat: string;
  let userId: string;
  let client: { clientId: string; secret?: string };
  const token = () =>
    t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: basicAuth(client.clientId, client.secret!) },
    });

  beforeAll(async () => {
    const direct = new URL(await freshDatabase('outage'));
    proxy = new TcpProxy({ host: direct.hostname, port: Number(direct.port || 3306) });
    await proxy.start();
    const viaProxy = new URL(databaseUrl('outage'));
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestApp({ DATABASE_URL: viaProxy.toString() });
    const u = await signedInUser(t);
    pat = (await createPat(t, u.cookie, ['read:device', 'write:device'])).token;
    userId = u.user.id;
    client = await createClient(t, u.user);
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.stop();
  });

  it('answers 503 with Retry-After while the database is gone (RFC 6749 §5.2 temporarily_unavailable at /oauth/token), then recovers within 5 s', async () => {
    expect((await t.http.get('/devices', { bearer: pat })).status).toBe(200);
    expect((await token()).status).toBe(200);

    await proxy.stop();
    // The PAT is still in the credential cache (≤ 1 s): the request reaches its handler, whose
    // query fails; the audit row of that failure cannot be written now.
    const created = await t.http.post('/devices', { bearer: pat, json: { name: 'during the outage' } });
    expect(created.status).toBe(503);
    await t.get<AuditService>(AuditService).record({ action: 'test.outage', outcome: 'success', meta: { requestId: 'outage-direct' } });
    expect(t.get<AuditService>(AuditService).retryBuffer.size).toBeGreaterThanOrEqual(2);
    const writtenLate = (await auditEventsWrittenLate.get()).values[0]?.value ?? 0;
    const devices = await t.http.get('/devices', { bearer: pat });
    expect(devices.status).toBe(503);
    expect(devices.headers.get('retry-after')).toBe('5');
    expect(devices.body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });

    const oauth = await token();
    expect(oauth.status).toBe(503);
    expect(oauth.headers.get('retry-after')).toBe('5');
    expect(oauth.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });

    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database.status).toBe('down');

    // A burst during the outage: never a 500.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? token() : t.http.get('/devices', { bearer: pat }))));
    expect(burst.map((r) => r.status).filter((s) => s !== 503)).toEqual([]);

    await proxy.start();
    const back = Date.now();
    let status = 0;
    while (Date.now() - back < 5000) {
      status = (await t.http.get('/devices', { bearer: pat })).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const recoveredMs = Date.now() - back;
    console.log(`database back: first 200 after ${recoveredMs} ms`);
    expect(status).toBe(200);
    expect(recoveredMs).toBeLessThan(5000);
    expect((await token()).status).toBe(200);
    expect((await t.http.get('/health/ready')).status).toBe(200);

    // The audit rows of the outage are written once the database is back, with their own time.
    const audit = t.dataSource.getRepository(AuditEvent);
    const waitFor = async <T>(get: () => Promise<T | null>) => {
      for (let i = 0; i < 50; i++) {
        const found = await get();
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    };
    const direct = await waitFor(() => audit.findOneBy({ requestId: 'outage-direct' }));
    expect(direct).toMatchObject({ action: 'test.outage', outcome: 'success' });
    expect(direct!.occurredAt.getTime()).toBeLessThan(back);
    const failed = await waitFor(() => audit.findOneBy({ action: 'device.create', actorId: userId, outcome: 'failed' }));
    expect(failed).not.toBeNull();
    expect(JSON.parse(failed!.details!)).toMatchObject({ status: 503 });
    expect(t.get<AuditService>(AuditService).retryBuffer.size).toBe(0);
    expect(((await auditEventsWrittenLate.get()).values[0]?.value ?? 0) - writtenLate).toBeGreaterThanOrEqual(2);
  });
});
