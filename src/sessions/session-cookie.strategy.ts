import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import { CsrfService } from './csrf.service';
import { SessionCookieService } from './session-cookie.service';
import { SessionsService } from './sessions.service';
import { SESSION_CREDENTIAL } from './session.token-kind';

export const SESSION_COOKIE_STRATEGY = 'session-cookie';

/** Cookie authentication: open the sealed cookie, find the live session, then apply CSRF rules. */
@Injectable()
export class SessionCookieStrategy extends PassportStrategy(Strategy, SESSION_COOKIE_STRATEGY) {
  constructor(
    private readonly cookies: SessionCookieService,
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfService,
    private readonly principals: PrincipalFactory,
    registry: AuthStrategyRegistry,
  ) {
    super();
    registry.register({ scheme: 'cookie', strategy: SESSION_COOKIE_STRATEGY, credentialKind: SESSION_CREDENTIAL });
  }

  async validate(req: FastifyRequest): Promise<Principal | null> {
    const secret = await this.cookies.open(req);
    if (!secret) return null;
    const session = await this.sessions.authenticate(secret);
    if (!session) return null;
    this.csrf.verify(req, session.id);
    const principal: Principal = { ...this.principals.forUser(session.user, { kind: SESSION_CREDENTIAL, id: session.id }), expiresAt: session.expiresAt };
    if (session.user.passwordTemporary) principal.passwordChangeRequired = true;
    return principal;
  }
}
