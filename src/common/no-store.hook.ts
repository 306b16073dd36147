import type { FastifyReply, FastifyRequest } from 'fastify';
import { REALM } from '../auth/errors/auth.errors';

/** Sign-in/out and OAuth endpoints hand out or consume credentials even when they are public. */
const CREDENTIAL_PATHS = /^\/(auth|oauth)(\/|$)/;

/**
 * Whether a response concerns credentials, so that no browser or proxy may keep a copy
 * (RFC 6749 §5.1, RFC 6750 §5.3): an authenticated response, any request that presented an
 * Authorization header, a 401/403 challenge, and the credential endpoints.
 */
export function carriesCredentials(req: FastifyRequest, reply: FastifyReply): boolean {
  return (
    req.user !== undefined ||
    req.headers.authorization !== undefined ||
    reply.statusCode === 401 ||
    reply.statusCode === 403 ||
    CREDENTIAL_PATHS.test(req.url)
  );
}

/**
 * Fastify onSend hook: `Cache-Control: no-store` with `Pragma: no-cache` (RFC 6749 §5.1, for
 * HTTP/1.0 caches) on every response that carries credentials; and a challenge on every 401
 * that lacks one (RFC 9110 §15.5.2), whatever produced it.
 */
export function noStoreForCredentials(
  req: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err: null, payload: unknown) => void,
): void {
  if (carriesCredentials(req, reply)) void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate')) void reply.header('www-authenticate', `Bearer realm="${REALM}"`);
  done(null, payload);
}
