import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { ROUTE_AUTH, type RouteAuth } from '../auth/route-auth';

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

/**
 * The credential key for a route's request ceiling: `undefined` (count per IP) on a public route,
 * which authenticates nothing it is sent, so an invented Authorization header or cookie must not
 * buy a fresh budget per request there (e.g. reset-link emails, sign-in pages). Client-
 * authenticated OAuth endpoints are public too; they have their own per-IP limits anyway.
 */
export function countedCredentialKey(ctx: ExecutionContext, cookieName: string): string | undefined {
  const auth = (Reflect.getMetadata(ROUTE_AUTH, ctx.getHandler()) ?? Reflect.getMetadata(ROUTE_AUTH, ctx.getClass())) as
    RouteAuth | undefined;
  if (auth && 'public' in auth && auth.public) return undefined;
  return presentedCredentialKey(ctx.switchToHttp().getRequest<FastifyRequest>(), cookieName);
}
