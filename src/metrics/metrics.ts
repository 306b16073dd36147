import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus series Gatehouse exposes, in one registry (served on METRICS_PORT, never on
 * the public port). Module-level, as prom-client intends: a series is registered once per
 * process. Labels carry only bounded, non-identifying values (route templates, schemes, reasons,
 * grant types): never a token, an email or a user id.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'gatehouse_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'gatehouse_http_request_duration_seconds',
  help: 'HTTP request duration, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const credentialsAuthenticated = new Counter({
  name: 'gatehouse_credentials_authenticated_total',
  help: 'Requests authenticated, by credential kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const credentialsRefused = new Counter({
  name: 'gatehouse_credentials_refused_total',
  help: 'Credentials refused, by scheme (bearer, secret, cookie, client, password, none) and reason',
  labelNames: ['scheme', 'reason'] as const,
  registers: [registry],
});

export const tokensIssued = new Counter({
  name: 'gatehouse_tokens_issued_total',
  help: 'Token responses from the token endpoint, by grant type',
  labelNames: ['grant_type'] as const,
  registers: [registry],
});

export const reuseDetected = new Counter({
  name: 'gatehouse_reuse_detected_total',
  help: 'Refresh-token and authorization-code reuse detections (the grant is revoked), by kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const rateLimitRejections = new Counter({
  name: 'gatehouse_rate_limit_rejections_total',
  help: 'Requests refused by a rate limiter (request_ceiling, token_endpoint, sign_in)',
  labelNames: ['limiter'] as const,
  registers: [registry],
});

export const rateLimitStoreErrors = new Counter({
  name: 'gatehouse_rate_limit_store_errors_total',
  help: 'Rate-limit store (Redis) errors; the request ceilings fail open while they happen',
  registers: [registry],
});

/** Filled by MetricsModule with the live DataSource and Redis client. */
export const sources: { dbPool?: () => { total: number; free: number; queued: number } | null; redisStatus?: () => string | null } = {};

export const dbPool = new Gauge({
  name: 'gatehouse_db_pool_connections',
  help: 'MySQL connection pool: total, free and queued (waiting for a connection); absent on SQLite',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const pool = sources.dbPool?.();
    if (!pool) return;
    for (const state of ['total', 'free', 'queued'] as const) this.set({ state }, pool[state]);
  },
});

export const redisUp = new Gauge({
  name: 'gatehouse_redis_up',
  help: '1 when the Redis connection is ready, 0 when not; absent without REDIS_URL',
  registers: [registry],
  collect() {
    this.reset();
    const status = sources.redisStatus?.();
    if (status !== null && status !== undefined) this.set(status === 'ready' ? 1 : 0);
  },
});

export const housekeepingPurged = new Counter({
  name: 'gatehouse_housekeeping_purged_rows_total',
  help: 'Rows deleted by the housekeeping purge, by table',
  labelNames: ['table'] as const,
  registers: [registry],
});

export const credentialCacheLookups = new Counter({
  name: 'gatehouse_credential_cache_lookups_total',
  help: 'Credential-cache lookups, by credential kind (pat, oauth_access, session, client_secret, …) and result (hit, miss)',
  labelNames: ['kind', 'result'] as const,
  registers: [registry],
});

export const credentialCacheInvalidations = new Counter({
  name: 'gatehouse_credential_cache_invalidations_total',
  help: 'Times the credential cache was emptied, by origin: local (a write here), remote (another instance, over Redis), resubscribe (Redis came back)',
  labelNames: ['origin'] as const,
  registers: [registry],
});

export const auditEventsBuffered = new Gauge({
  name: 'gatehouse_audit_events_buffered',
  help: 'Audit events waiting in memory for the database to answer again',
  registers: [registry],
});

export const auditEventsWrittenLate = new Counter({
  name: 'gatehouse_audit_events_written_late_total',
  help: 'Audit events written from the in-memory buffer after a database outage',
  registers: [registry],
});

export const auditEventsDropped = new Counter({
  name: 'gatehouse_audit_events_dropped_total',
  help: 'Audit events not written (logged in full instead), by reason: buffer_full, shutdown, rejected',
  labelNames: ['reason'] as const,
  registers: [registry],
});
