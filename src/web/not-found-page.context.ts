import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import type { NotFoundPageContext } from '../common/not-found-page';
import { SessionCookieService } from '../sessions/session-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { PageLayoutService } from './page-layout.service';

/**
 * The navigation on "Page not found": a signed-in person who mistyped an address keeps their
 * way around. A page route that threw 404 already has its layout; an unknown address had no
 * guard, so the session cookie is opened here (the same lookup the cookie strategy does).
 */
@Injectable()
export class WebNotFoundPageContext implements NotFoundPageContext {
  private readonly logger = new Logger('NotFoundPage');

  constructor(
    private readonly layout: PageLayoutService,
    private readonly cookies: SessionCookieService,
    private readonly sessions: SessionsService,
    private readonly principals: PrincipalFactory,
  ) {}

  async apply(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (reply.locals?.nav) return;
    try {
      const principal = req.user ?? (await this.sessionOf(req));
      Object.assign(reply.locals ?? (reply.locals = {}), await this.layout.locals(req, reply, principal));
    } catch (err) {
      // The page still renders, without navigation: a 404 must not become a 500.
      this.logger.warn(`Navigation for the not-found page failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async sessionOf(req: FastifyRequest): Promise<Principal | undefined> {
    const secret = await this.cookies.open(req);
    const session = secret ? await this.sessions.authenticate(secret) : null;
    return session ? this.principals.forUser(session.user, { kind: 'session', id: session.id }) : undefined;
  }
}
