import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { RouteInterceptorRegistry } from '../auth/route-interceptor.registry';
import { FlashService } from '../sessions/flash.service';
import { PageLayoutService } from './page-layout.service';
import { SESSION_CREDENTIAL } from '../sessions/session.token-kind';

/**
 * Fills the layout's context before a handler of a browser session runs (a refused form post
 * re-renders its page, which needs the navigation and the CSRF token too), and before any GET
 * that carries a flash (the sign-in page after signing out).
 */
@Injectable()
export class PageLayoutInterceptor implements NestInterceptor {
  constructor(
    private readonly layout: PageLayoutService,
    private readonly flash: FlashService,
    routes: RouteInterceptorRegistry,
  ) {
    // Only on routes that render a page (@Render, or a handler that takes the reply to render).
    routes.register(this, (r) => r.renders, 10);
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const wanted =
      req.user?.credential.kind === SESSION_CREDENTIAL || (req.method === 'GET' && req.cookies?.[this.flash.cookieName] !== undefined);
    if (!wanted) return next.handle();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    return from(this.layout.apply(req, reply)).pipe(switchMap(() => next.handle()));
  }
}
