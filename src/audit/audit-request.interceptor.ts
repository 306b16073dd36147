import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { requestMeta } from '../common/request-meta';
import { AUDIT_ACTION, AuditActionMeta } from './audit-action.decorator';
import { auditContextOf } from './audit-context';
import { AuditOutcome } from './audit-event.entity';
import { AUDIT_RESOURCE } from './audit-resource.decorator';
import { AuditService } from './audit.service';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Audits requests that reached a handler: every request to a handler marked @AuditAction;
 * unsafe requests on resource controllers marked with @AuditResource; and any unsafe request
 * made with a token (so what a PAT does is on record as its user, with the token's id). The
 * row is written before the response is sent.
 */
@Injectable()
export class AuditRequestInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const principal = req.user;
    if (!principal) return next.handle();
    const targets = [ctx.getHandler(), ctx.getClass()];
    const explicit = this.reflector.getAllAndOverride<AuditActionMeta | undefined>(AUDIT_ACTION, targets);
    const resource = this.reflector.getAllAndOverride<string | undefined>(AUDIT_RESOURCE, targets);
    const byToken = principal.credential.kind !== 'session';
    if (!explicit && (SAFE.has(req.method) || (!resource && !byToken))) return next.handle();

    const action = explicit?.action ?? (resource ? `${resource}.${ctx.getHandler().name}` : 'api.request');
    const targetType = explicit?.targetType ?? resource;
    const params = req.params as Record<string, string> | undefined;
    const write = (outcome: AuditOutcome, status: number, createdId?: string, error?: string) => {
      const noted = auditContextOf(req);
      const targetId = createdId ?? params?.[explicit?.targetParam ?? 'id'];
      return this.audit.recordFor(principal, {
        action,
        outcome,
        target: noted.target ?? (targetType && targetId ? { type: targetType, id: targetId } : undefined),
        meta: requestMeta(req),
        details: { method: req.method, route: req.routeOptions?.url, status, ...noted.details, ...(error ? { error } : {}) },
      });
    };

    return next.handle().pipe(
      mergeMap((body) => {
        // A created object names itself with the same key as the route parameter of its target.
        const createdId = (body as Record<string, unknown> | undefined)?.[explicit?.targetParam ?? 'id'];
        return from(write('success', 200, typeof createdId === 'string' ? createdId : undefined).then(() => body));
      }),
      catchError((err: unknown) => {
        const status = err instanceof HttpException ? err.getStatus() : 500;
        const outcome: AuditOutcome = status === 401 || status === 403 || status === 404 ? 'denied' : 'failed';
        const error = err instanceof HttpException ? err.message : undefined;
        return from(write(outcome, status, undefined, error)).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}
