import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NotFoundPageContext } from '../common/not-found-page';
import { SessionPrincipalReader } from '../sessions/session-principal.reader';
import { PageLayoutService } from './page-layout.service';

/**
 * The navigation on "Page not found": a signed-in person who mistyped an address keeps their
 * way around. A page route that threw 404 already has its layout; an unknown address had no
 * guard, so the session cookie is read here, as the cookie strategy reads it.
 */
@Injectable()
export class WebNotFoundPageContext implements NotFoundPageContext {
  private readonly logger = new Logger('NotFoundPage');

  constructor(
    private readonly layout: PageLayoutService,
    private readonly sessions: SessionPrincipalReader,
  ) {}

  async apply(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (reply.locals?.nav) return;
    try {
      const principal = req.user ?? (await this.sessions.read(req)) ?? undefined;
      Object.assign(reply.locals ?? (reply.locals = {}), await this.layout.locals(req, reply, principal));
    } catch (err) {
      // The page still renders, without navigation: a 404 must not become a 500.
      this.logger.warn(`Navigation for the not-found page failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
