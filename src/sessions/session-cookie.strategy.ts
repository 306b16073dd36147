import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import type { Principal } from '../auth/principal';
import { CsrfService } from './csrf.service';
import { SessionPrincipalReader } from './session-principal.reader';
import { SESSION_CREDENTIAL } from './session.token-kind';

export const SESSION_COOKIE_STRATEGY = 'session-cookie';

/** Cookie authentication: open the sealed cookie, find the live session, then apply CSRF rules. */
@Injectable()
export class SessionCookieStrategy extends PassportStrategy(Strategy, SESSION_COOKIE_STRATEGY) {
  constructor(
    private readonly reader: SessionPrincipalReader,
    private readonly csrf: CsrfService,
    registry: AuthStrategyRegistry,
  ) {
    super();
    registry.register({ scheme: 'cookie', strategy: SESSION_COOKIE_STRATEGY, credentialKind: SESSION_CREDENTIAL });
  }

  async validate(req: FastifyRequest): Promise<Principal | null> {
    const principal = await this.reader.read(req);
    if (!principal) return null;
    this.csrf.verify(req, principal.credential.id);
    return principal;
  }
}
