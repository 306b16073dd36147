import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { AUDIT_ACTION, AuditActionMeta } from './audit-action.decorator';
import { AUDIT_RESOURCE } from './audit-resource.decorator';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a request to an audited route is recorded as. */
export interface AuditedRoute {
  /** Declared with @AuditAction; `api.request` for a token's unsafe request to an undeclared route. */
  action: string;
  targetType?: string;
  /** The route parameter (and created object's key) naming the target. */
  targetParam: string;
}

/**
 * Whether this request is audited, and as what: every request to a handler marked
 * @AuditAction; unsafe requests on @AuditResource controllers; any unsafe request made with a
 * token (`byToken`). Two metadata reads; the request interceptor and the guard-denial
 * recorder share it so a refused request is recorded exactly where an allowed one would be.
 */
export function auditedRoute(reflector: Reflector, ctx: ExecutionContext, method: string, byToken: boolean): AuditedRoute | undefined {
  const targets = [ctx.getHandler(), ctx.getClass()];
  const explicit = reflector.getAllAndOverride<AuditActionMeta | undefined>(AUDIT_ACTION, targets);
  const resource = reflector.getAllAndOverride<string | undefined>(AUDIT_RESOURCE, targets);
  if (!explicit && (SAFE.has(method) || (!resource && !byToken))) return undefined;
  return {
    action: explicit?.action ?? 'api.request',
    targetType: explicit?.targetType ?? resource,
    targetParam: explicit?.targetParam ?? 'id',
  };
}
