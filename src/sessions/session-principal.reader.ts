import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { PrincipalMemo } from '../auth/principal-memo';
import { PrincipalFactory } from '../auth/principal.factory';
import { SessionCookieService } from './session-cookie.service';
import { SessionsService } from './sessions.service';
import type { User } from '../users/user.entity';
import type { Session } from './session.entity';
import { SESSION_CREDENTIAL } from './session.token-kind';

/**
 * The one place a session cookie becomes a principal: the cookie strategy (which adds the CSRF
 * check), the home page and the not-found page all read it here, so a temporary password's
 * `passwordChangeRequired` and the session's expiry are never lost on one of those paths.
 */
@Injectable()
export class SessionPrincipalReader {
  /** Built once per cached session row: it depends on nothing else (the checks per request are in SessionsService.authenticate). */
  private readonly memo = new PrincipalMemo<Session & { user: User }>();

  constructor(
    private readonly cookies: SessionCookieService,
    private readonly sessions: SessionsService,
    private readonly principals: PrincipalFactory,
  ) {}

  /**
   * The live, full session behind the request's cookie as a principal, or null (no, unreadable or
   * ended session, or a partial one that has not passed its sign-in step). No CSRF check.
   */
  async read(req: FastifyRequest): Promise<Principal | null> {
    const principal = await this.readIncludingPartial(req);
    return principal && !principal.pendingStep ? principal : null;
  }

  /**
   * As `read`, but a partial session (password passed, a further step pending) is returned too,
   * with `pendingStep` set: only the cookie strategy, which refuses it where the step does not
   * allow it, should use this.
   */
  async readIncludingPartial(req: FastifyRequest): Promise<Principal | null> {
    const secret = await this.cookies.open(req);
    if (!secret) return null;
    const session = await this.sessions.authenticate(secret);
    if (!session) return null;
    // pendingStep ends by an UPDATE (completeStep), which empties the cache: a new row, a new Principal.
    return this.memo.of(session, (row) => ({
      ...this.principals.forUser(row.user, { kind: SESSION_CREDENTIAL, id: row.id }),
      expiresAt: row.expiresAt,
      ...(row.user.passwordTemporary ? { passwordChangeRequired: true as const } : {}),
      ...(row.pendingStep !== null ? { pendingStep: row.pendingStep } : {}),
    }));
  }
}
