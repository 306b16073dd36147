import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SessionCookieService } from '../sessions/session-cookie.service';

/** What a started sign-in must find again at its callback, whichever instance serves it. */
export interface PendingSsoSignIn {
  /** The connection's id: a callback at another connection's URL is refused. */
  connectionId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The checked return path. */
  next: string;
  /** Set when a signed-in person links this IdP from their account page (after re-entering their password). */
  linkUserId?: string;
}

/**
 * The pending sign-in lives in the browser, not in process memory: sealed with the session
 * cookie keys (JWE dir + A256GCM: encrypted and tamper-evident), expiring after
 * SSO_STATE_TTL_SECONDS, cleared at the callback. A callback on any instance sharing the keys
 * opens it. `SameSite=Lax` whatever the session cookie uses: the IdP's redirect back is a
 * cross-site top-level GET, which Lax cookies accompany and Strict ones do not.
 */
@Injectable()
export class SsoStateCookie {
  readonly name: string;

  constructor(
    private readonly cookies: SessionCookieService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.name = `${config.session.cookieName}_sso`;
  }

  async set(reply: FastifyReply, pending: PendingSsoSignIn): Promise<void> {
    const ttl = this.config.sso.stateTtlMs;
    const value = await this.cookies.sealClaims({ sso: pending }, ttl);
    void reply.setCookie(this.name, value, { ...this.attributes(), maxAge: Math.floor(ttl / 1000) });
  }

  /** The pending sign-in, or null when the cookie is missing, altered, expired or sealed by an unknown key. */
  async open(req: FastifyRequest): Promise<PendingSsoSignIn | null> {
    const claims = await this.cookies.openClaims(req.cookies?.[this.name]);
    const p = claims?.sso as Partial<PendingSsoSignIn> | undefined;
    if (!p || typeof p.connectionId !== 'string' || typeof p.state !== 'string' || typeof p.nonce !== 'string') return null;
    if (typeof p.codeVerifier !== 'string' || typeof p.next !== 'string') return null;
    return p as PendingSsoSignIn;
  }

  clear(reply: FastifyReply): void {
    void reply.clearCookie(this.name, this.attributes());
  }

  private attributes() {
    return { ...this.cookies.cookieAttributes(), sameSite: 'lax' as const };
  }
}
