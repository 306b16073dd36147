import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

/**
 * What the request-ceiling throttler counts an authenticated-looking request by: the SHA-256
 * of the credential it presents (the Authorization header, else the session cookie), so that
 * many users behind one proxy IP each get their own budget. `undefined` when none is presented:
 * such requests are counted per IP. Only the hash is kept, never the credential.
 */
export function presentedCredentialKey(req: FastifyRequest, cookieName: string): string | undefined {
  const auth = req.headers.authorization;
  const cookie = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[cookieName];
  const value = auth ? `h:${auth}` : cookie ? `c:${cookie}` : undefined;
  return value === undefined ? undefined : `cred:${createHash('sha256').update(value).digest('hex')}`;
}
