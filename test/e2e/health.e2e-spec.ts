import { startTestApp, TestApp } from './support/test-app';

describe('health: liveness and readiness', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    // The database test below destroys the pool; bring it back so shutdown closes it cleanly.
    if (!t.dataSource.isInitialized) await t.dataSource.initialize();
    await t.close();
  });

  it('GET /health: 200 alive, without credentials', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready: 200 when the database answers', async () => {
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('GET /health/ready: 503 (not 500) saying the database is down when it is unreachable, 200 again when it is back', async () => {
    await t.dataSource.destroy();
    const down = await t.http.get('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      statusCode: 503,
      error: 'service_unavailable',
      message: 'Not ready: database down',
      requestId: down.headers.get('x-request-id'),
      checks: { database: { status: 'down' } },
    });
    expect(down.headers.get('cache-control')).toBe('no-store');
    // Liveness does not depend on the database.
    expect((await t.http.get('/health')).status).toBe(200);

    await t.dataSource.initialize();
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });
});
