import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { RECENT_AUTHENTICATION } from '../auth/decorators/requires-recent-authentication.decorator';
import { RouteInterceptorRegistry } from '../auth/route-interceptor.registry';
import { SESSION_CREDENTIAL } from '../sessions/session.token-kind';
import { StepUpService } from './step-up.service';

/**
 * The one place @RequiresRecentAuthentication() is enforced: bound at start-up to every route
 * carrying it (RouteInterceptorRegistry), inside the audit interceptor (a refusal is audited with
 * the route's action) and the page layout (the re-authentication page has the navigation).
 *
 * Only a full browser session is checked. A Bearer or Secret request passes: a token is a
 * credential minted by a signed-in session, scoped and revocable (GitHub's model, docs/mfa.md).
 * A session held at enrolment by `MFA_REQUIRED` reaches only its enrolment routes and has just
 * passed the password (its step lasts 3 × `MFA_STEP_MINUTES`): it enrols its first factor without
 * a second re-authentication. A session waiting for its second factor never gets here (the cookie
 * strategy refuses it on every route).
 */
@Injectable()
export class StepUpInterceptor implements NestInterceptor {
  constructor(
    private readonly stepUp: StepUpService,
    routes: RouteInterceptorRegistry,
  ) {
    routes.register(
      this,
      (r) => {
        if (r.metadata(RECENT_AUTHENTICATION) === undefined) return false;
        // With SUDO_MODE_SECONDS=0 a read could never pass twice, and reads are not sensitive actions.
        if (r.safe) throw new Error('@RequiresRecentAuthentication() is for actions (POST, PUT, PATCH, DELETE), not reads');
        return true;
      },
      20,
    );
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const p = req.user;
    if (!p || p.credential.kind !== SESSION_CREDENTIAL || p.pendingStep !== undefined) return next.handle();
    return from(this.stepUp.admit(req, p)).pipe(switchMap(() => next.handle()));
  }
}
