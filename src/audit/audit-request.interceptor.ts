import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { REDIRECT_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { RouteInterceptorRegistry } from '../auth/route-interceptor.registry';
import { requestMeta } from '../common/request-meta';
import { AUDIT_ACTION } from './audit-action.decorator';
import { auditContextOf } from './audit-context';
import { AuditOutcome } from './audit-event.entity';
import { AuditService } from './audit.service';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { auditedRoute } from './audited-route';

/**
 * Audits requests that reached a handler: every request to a handler marked @AuditAction (but
 * not a browser session's reads);
 * unsafe requests on resource controllers marked with @AuditResource; and any unsafe request
 * made with a token (so what a PAT does is on record as its user, with the token's id). The
 * row is written before the response is sent. Requests the guard refused never get here: the
 * AuditDenialRecorder records those.
 */
@Injectable()
export class AuditRequestInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    routes: RouteInterceptorRegistry,
  ) {
    // Only where it may record: @AuditAction routes, and non-public routes of unsafe methods.
    routes.register(this, (r) => r.metadata(AUDIT_ACTION) !== undefined || (!r.safe && !r.auth?.public), 0);
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const principal = req.user;
    if (!principal) return next.handle();
    const route = auditedRoute(this.reflector, ctx, req.method, principal.credential.kind !== 'session');
    if (!route || isSessionRead(req.method, principal.credential.kind, route.action)) return next.handle();

    const params = req.params as Record<string, string> | undefined;
    const write = (outcome: AuditOutcome, status: number, createdId?: string, error?: string) => {
      const noted = auditContextOf(req);
      const targetId = createdId ?? params?.[route.targetParam];
      return this.audit.recordFor(principal, {
        action: route.action,
        outcome,
        target: noted.target ?? (route.targetType && targetId ? { type: route.targetType, id: targetId } : undefined),
        meta: requestMeta(req),
        details: { method: req.method, route: req.routeOptions?.url, status, ...noted.details, ...(error ? { error } : {}) },
      });
    };

    return next.handle().pipe(
      mergeMap((body) => {
        // A created object names itself with the same key as the route parameter of its target.
        const createdId = (body as Record<string, unknown> | undefined)?.[route.targetParam];
        const status = this.successStatus(ctx, body);
        return from(write('success', status, typeof createdId === 'string' ? createdId : undefined).then(() => body));
      }),
      catchError((err: unknown) => {
        // The exception filter answers an unreachable database with 503, anything else unexpected with 500.
        const status = err instanceof HttpException ? err.getStatus() : isDatabaseUnavailable(err) ? 503 : 500;
        const outcome: AuditOutcome = status === 401 || status === 403 || status === 404 ? 'denied' : 'failed';
        const error = err instanceof HttpException ? err.message : undefined;
        return from(write(outcome, status, undefined, error)).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }

  /**
   * The status the response goes out with: Nest sets @HttpCode (201 for POST) on the reply
   * before interceptors run, but applies @Redirect() only after them.
   */
  private successStatus(ctx: ExecutionContext, body: unknown): number {
    const redirect = Reflect.getMetadata(REDIRECT_METADATA, ctx.getHandler()) as { statusCode?: number } | undefined;
    if (redirect) return (body as { statusCode?: number } | undefined)?.statusCode ?? redirect.statusCode ?? HttpStatus.FOUND;
    return ctx.switchToHttp().getResponse<FastifyReply>().statusCode;
  }
}

/**
 * A person reading admin pages or the admin API in a browser session is not recorded row by row
 * (the log would be mostly views of itself). Every change, every token's read, every refusal by
 * the guard, and every reading of the audit log itself still are.
 */
function isSessionRead(method: string, credentialKind: string, action: string): boolean {
  return credentialKind === 'session' && (method === 'GET' || method === 'HEAD') && !action.startsWith('admin.audit.');
}
