import type { FastifyRequest } from 'fastify';

/**
 * How many Authorization header lines the request carried. Node keeps only the first of repeated
 * Authorization headers in `req.headers`, so a request with two would be judged by one of them
 * while a proxy or log in front may have read the other: callers refuse such a request instead
 * (RFC 6750 §3.1, RFC 6749 §5.2 invalid_request). Reads the raw header list (no allocation
 * beyond the loop).
 */
export function authorizationHeaderCount(req: FastifyRequest): number {
  const raw = req.raw?.rawHeaders;
  if (!raw) return req.headers.authorization === undefined ? 0 : 1;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') count++;
  return count;
}
