import { rateLimitStoreErrors } from '../../src/metrics/metrics';
import { startTestApp, TestApp } from '../e2e/support/test-app';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { flushTestRedis, freshDatabase, REDIS_URL } from './support/instance';
import { TcpProxy } from './support/tcp-proxy';

/**
 * Issue 11: while Redis is unreachable sign-in fails closed (503 + Retry-After) and the request
 * ceilings fail open (counted as store errors); readiness names Redis; when Redis comes back the
 * client reconnects by itself and everything works again, without a restart. Redis sits behind a
 * TCP proxy that the test stops and starts (the shared Redis is never touched).
 */
describe('Redis outage and reconnection', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let email: string;
  const signIn = () => t.http.post('/auth/login', { json: { email, password: TEST_PASSWORD }, origin: t.baseUrl });

  beforeAll(async () => {
    await flushTestRedis();
    const redis = new URL(REDIS_URL);
    proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    await proxy.start();
    const viaProxy = new URL(REDIS_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestApp({ DATABASE_URL: await freshDatabase('redis'), REDIS_URL: viaProxy.toString() });
    email = (await createUser(t)).email;
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.stop();
  });

  it('fails closed for sign-in, open for the ceilings, reports it, and recovers on its own', async () => {
    expect((await signIn()).status).toBe(200);
    const up = await t.http.get('/health/ready');
    expect(up.status).toBe(200);
    expect(up.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });

    await proxy.stop();
    const refused = await signIn();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    const errorsBefore = (await rateLimitStoreErrors.get()).values[0]?.value ?? 0;
    expect((await t.http.get('/.well-known/oauth-authorization-server')).status).toBe(200);
    expect((await rateLimitStoreErrors.get()).values[0]?.value ?? 0).toBeGreaterThan(errorsBefore);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis).toEqual({ status: 'down' });

    await proxy.start();
    const back = Date.now();
    let status = 0;
    while (Date.now() - back < 10_000) {
      status = (await signIn()).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const ms = Date.now() - back;
    console.log(`Redis back: sign-in works again after ${ms} ms`);
    expect(status).toBe(200);
    expect(ms).toBeLessThan(5000);
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });
});
