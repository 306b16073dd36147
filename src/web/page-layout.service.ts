import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { CsrfService } from '../sessions/csrf.service';
import { Flash, FlashService } from '../sessions/flash.service';
import { ADMIN_SCOPE } from '../users/users.scopes';
import { NavigationRegistry } from './navigation.registry';
import { SESSION_CREDENTIAL } from '../sessions/session.token-kind';

/** What views/layout.hbs reads on every page, whatever the controller passes. */
export interface LayoutLocals {
  user?: Principal['user'];
  csrf?: string;
  isAdmin?: boolean;
  nav?: ReturnType<NavigationRegistry['linksFor']>;
  adminNav?: ReturnType<NavigationRegistry['linksFor']>;
  flash?: Flash | null;
}

/**
 * Builds the layout's context (signed-in user, CSRF token for the sign-out form, navigation,
 * the pending flash message) and puts it in `reply.locals`, which @fastify/view merges under
 * every template's own data. Controllers therefore never pass navigation themselves.
 */
@Injectable()
export class PageLayoutService {
  constructor(
    private readonly nav: NavigationRegistry,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
  ) {}

  async apply(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    Object.assign(reply.locals ?? (reply.locals = {}), await this.locals(req, reply));
  }

  /** The layout's context for `p` (the request's principal unless given). */
  async locals(req: FastifyRequest, reply: FastifyReply, p: Principal | undefined = req.user): Promise<LayoutLocals> {
    const path = req.url.split('?', 1)[0];
    const sessionId = p?.credential.kind === SESSION_CREDENTIAL ? p.credential.id : undefined;
    // Only a page view reads (and clears) the flash: a form post is about to set its own.
    const flash = req.method === 'GET' ? await this.flash.take(req, reply, sessionId) : null;
    if (!p?.user || !sessionId) return { flash };
    const isAdmin = p.scopes.has(ADMIN_SCOPE);
    const restricted = p.passwordChangeRequired || p.pendingStep !== undefined;
    return {
      user: p.user,
      csrf: this.csrf.tokenFor(sessionId),
      isAdmin,
      // A temporary password, or a sign-in step still pending, opens nothing but its own page: no links, only "Sign out".
      nav: restricted ? [] : this.nav.linksFor('main', path, isAdmin),
      adminNav: isAdmin && !restricted && path.startsWith('/admin/ui') ? this.nav.linksFor('admin', path, isAdmin) : undefined,
      flash,
    };
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /** @fastify/view merges these under every template's data. */
    locals: Record<string, unknown> | null;
  }
}
