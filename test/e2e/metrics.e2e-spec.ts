import { MetricsServer } from '../../src/metrics/metrics.server';
import { basicAuth, clientCredentialsToken, createClient } from './support/clients.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/**
 * GET /metrics (Prometheus text format) lives on its own port (METRICS_PORT), never on the public
 * one, so its guard is the network: the public port has no /metrics at all.
 */
describe('metrics', () => {
  let t: TestApp;
  let metricsUrl: string;
  const scrape = async () => (await fetch(`${metricsUrl}/metrics`)).text();
  const value = (text: string, series: string) =>
    Number(new RegExp(`^${series.replace(/[{}()[\].*+?^$|\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  beforeAll(async () => {
    t = await startTestApp({ METRICS_PORT: '0', TOKEN_RATE_LIMIT_PER_CLIENT: '3' });
    metricsUrl = t.get<MetricsServer>(MetricsServer).url!;
  });
  afterAll(() => t.close());

  it('is not served on the public port, only on METRICS_PORT', async () => {
    expect((await t.http.get('/metrics')).status).toBe(404);
    expect(new URL(metricsUrl).port).not.toBe(new URL(t.baseUrl).port);
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect((await fetch(`${metricsUrl}/other`)).status).toBe(404);
  });

  it('exposes requests, credentials, tokens, rate limits, pool and process series, with no token, email or user id in any label', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    expect((await t.http.get('/devices', { bearer: 'ghpat_unknownunknownunknownunknown123456' })).status).toBe(401);
    expect((await t.http.post('/auth/login', { json: { email: u.email, password: 'wrong password' }, origin: t.baseUrl })).status).toBe(
      401,
    );
    const c = await createClient(t, u.user);
    const access = await clientCredentialsToken(t, c);
    let last = 0;
    for (let i = 0; i < 3; i++) {
      last = (
        await t.http.post('/oauth/token', {
          form: { grant_type: 'client_credentials' },
          headers: { authorization: basicAuth(c.clientId, c.secret!) },
        })
      ).status;
    }
    expect(last).toBe(429);

    const text = await scrape();
    expect(value(text, 'gatehouse_http_requests_total{method="GET",route="/devices",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/gatehouse_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/devices",status="200"\}/);
    expect(value(text, 'gatehouse_credentials_authenticated_total{kind="pat"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'gatehouse_credentials_refused_total{scheme="bearer",reason="invalid_token"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'gatehouse_credentials_refused_total{scheme="password",reason="invalid_credentials"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'gatehouse_tokens_issued_total{grant_type="client_credentials"}')).toBeGreaterThanOrEqual(3);
    expect(value(text, 'gatehouse_rate_limit_rejections_total{limiter="token_endpoint"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE gatehouse_reuse_detected_total counter');
    expect(text).toContain('# TYPE gatehouse_db_pool_connections gauge');
    expect(text).toContain('# TYPE gatehouse_redis_up gauge');
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);

    for (const secret of [pat.token, access, c.secret!, u.email, u.user.id, c.clientId]) expect(text).not.toContain(secret);
  });

  it('counts credential-cache hits and misses by kind, and invalidations by origin, with no credential in any label', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    const other = await createPat(t, u.cookie);
    const before = await scrape();
    const lookups = (text: string, result: string) =>
      value(text, `gatehouse_credential_cache_lookups_total{kind="pat",result="${result}"}`) || 0;
    const local = (text: string) => value(text, 'gatehouse_credential_cache_invalidations_total{origin="local"}') || 0;

    // The first use of a PAT is a miss (one query); the next, within the cache TTL, a hit.
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    const used = await scrape();
    expect(lookups(used, 'miss') - lookups(before, 'miss')).toBeGreaterThanOrEqual(1);
    expect(lookups(used, 'hit') - lookups(before, 'hit')).toBeGreaterThanOrEqual(1);

    // A revocation here empties the cache: a local invalidation.
    expect((await t.http.delete(`/account/tokens/${other.id}`, { cookie: u.cookie })).status).toBe(204);
    const revoked = await scrape();
    expect(local(revoked) - local(used)).toBeGreaterThanOrEqual(1);
    expect(revoked).toContain('# TYPE gatehouse_credential_cache_invalidations_total counter');
    for (const secret of [pat.token, other.token, u.email, u.user.id, pat.id, other.id]) expect(revoked).not.toContain(secret);
  });
});
