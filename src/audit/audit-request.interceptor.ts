import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { requestMeta } from '../common/request-meta';
import { AuditOutcome } from './audit-event.entity';
import { AUDIT_RESOURCE } from './audit-resource.decorator';
import { AuditService } from './audit.service';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Audits unsafe requests that reached a handler: on resource controllers marked with
 * @AuditResource, and any unsafe request made with a token (so what a PAT does is on record
 * as its user, with the token's id). The row is written before the response is sent.
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
    const resource = this.reflector.getAllAndOverride<string | undefined>(AUDIT_RESOURCE, [ctx.getHandler(), ctx.getClass()]);
    const byToken = principal && principal.credential.kind !== 'session';
    if (SAFE.has(req.method) || !principal || (!resource && !byToken)) return next.handle();

    const action = resource ? `${resource}.${ctx.getHandler().name}` : 'api.request';
    const params = req.params as Record<string, string> | undefined;
    const write = (outcome: AuditOutcome, status: number, targetId?: string) =>
      this.audit.recordFor(principal, {
        action,
        outcome,
        target: resource && (targetId ?? params?.id) ? { type: resource, id: (targetId ?? params?.id) as string } : undefined,
        meta: requestMeta(req),
        details: { method: req.method, route: req.routeOptions?.url, status },
      });

    return next.handle().pipe(
      mergeMap((body) => {
        const createdId = (body as { id?: unknown } | undefined)?.id;
        return from(write('success', 200, typeof createdId === 'string' ? createdId : undefined).then(() => body));
      }),
      catchError((err: unknown) => {
        const status = err instanceof HttpException ? err.getStatus() : 500;
        const outcome: AuditOutcome = status === 401 || status === 403 || status === 404 ? 'denied' : 'failed';
        return from(write(outcome, status)).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}
