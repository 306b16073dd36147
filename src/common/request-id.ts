import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const VALID = /^[A-Za-z0-9._-]{1,64}$/;
/** A value shaped like a Gatehouse secret is never taken as a request id (it would be logged). */
const SECRET_SHAPED = /[a-z]{2,8}_[0-9A-Za-z]{36}/;

/**
 * Fastify's genReqId: reuse a well-formed incoming X-Request-Id, else a UUID. The id is also
 * kept on the raw request for code that only sees the raw request.
 */
export function assignRequestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && VALID.test(given) && !SECRET_SHAPED.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}
