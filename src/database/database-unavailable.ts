/**
 * Driver errors that mean "the database cannot be reached right now", not "this query is wrong":
 * connection refused, reset or lost, a timeout, the server shutting down or out of connections,
 * the pool closed. The request answers 503 with Retry-After (RFC 9110 §15.6.4) instead of a 500;
 * mysql2's pool opens fresh connections for the next requests, so service resumes by itself
 * once the database is back.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_NET_READ_ERROR',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_ABORTING_CONNECTION',
  // PostgreSQL (SQLSTATE): connection exceptions, too many connections, the server shutting down
  // or starting, a statement cancelled (statement_timeout).
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57014',
]);

const UNAVAILABLE_MESSAGES = [
  /Pool is closed/i,
  /connection is in closed state/i,
  /Can't add new command when connection is in closed state/i,
  /Connection lost/i,
  // node-postgres
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
];

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** True when `err` (or the driver error TypeORM wraps in it) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of [err, (err as { driverError?: unknown } | null)?.driverError]) {
    if (!e || typeof e !== 'object') continue;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if ((e as { fatal?: unknown }).fatal === true && typeof code === 'string' && code.startsWith('PROTOCOL_')) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}
