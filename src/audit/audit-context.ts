import type { FastifyRequest } from 'fastify';

interface AuditContext {
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

const contexts = new WeakMap<FastifyRequest, AuditContext>();

/**
 * Lets a handler tell the audit interceptor what it acted on and what changed, when the route
 * parameters alone do not say it (e.g. the id of a created user, the roles before and after).
 */
export function noteAuditTarget(req: FastifyRequest, type: string, id: string): void {
  contexts.set(req, { ...contexts.get(req), target: { type, id } });
}

export function noteAuditDetails(req: FastifyRequest, details: Record<string, unknown>): void {
  const ctx = contexts.get(req);
  contexts.set(req, { ...ctx, details: { ...ctx?.details, ...details } });
}

export function auditContextOf(req: FastifyRequest): AuditContext {
  return contexts.get(req) ?? {};
}
