import { startTestApp, TestApp } from './support/test-app';

/** RATE_LIMIT_PER_IP_PER_MINUTE: the global per-IP ceiling, and 0 switching it off (issue 16). */
describe('global per-IP rate limit', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers 429 with Retry-After past the configured ceiling', async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http.get('/health')).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await t.http.get('/health');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('is off with RATE_LIMIT_PER_IP_PER_MINUTE=0', async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '0' });
    const statuses = await Promise.all(Array.from({ length: 300 }, () => t!.http.get('/health').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('a public route counts per IP whatever credential is presented: junk Authorization headers or cookies do not each buy a fresh budget', async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '3' });
    const app = t;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const junk = { bearer: `junk-${i}-${Math.random()}` };
      statuses.push(
        (await app.http.post('/password-reset/request', { json: { email: `victim${i}@example.test` }, origin: app.baseUrl, ...junk }))
          .status,
      );
    }
    statuses.push(
      (
        await app.http.post('/password-reset/request', {
          json: { email: 'victim@example.test' },
          origin: app.baseUrl,
          bearer: 'yet-another',
        })
      ).status,
    );
    statuses.push(
      (
        await app.http.post('/password-reset/request', {
          json: { email: 'victim@example.test' },
          origin: app.baseUrl,
          cookie: 'gh_session=junk',
        })
      ).status,
    );
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
  });
});
