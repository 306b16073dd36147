import type { FastifyRequest } from 'fastify';

/** Request facts recorded in sessions and the audit log. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

export function requestId(req: FastifyRequest): string {
  return String(req.id);
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: ua ? ua.slice(0, 512) : null, requestId: requestId(req) };
}
