import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionCookieService } from './session-cookie.service';

/** A one-time secret shown on the page after a redirect (API key, client secret, reset link…). */
export interface FlashReveal {
  /** What it is, e.g. "Your new API key “backup”". */
  title: string;
  /** The secret itself: shown once, never stored by the server. */
  value: string;
  /** Further facts shown under it (client id, grace period end), plain text. */
  facts?: { label: string; value: string }[];
  /** A secret made of several lines (recovery codes), shown as a list instead of `value`. */
  lines?: string[];
  /** Offer the secret as a file: its name and a `data:` URL of its content. */
  download?: { filename: string; href: string };
}

/** A message for the next page: "API key deleted". */
export interface Flash {
  message: string;
  kind?: 'success' | 'error';
  reveal?: FlashReveal;
}

/** Long enough for the redirect that follows; short enough that an unread flash soon dies. */
const FLASH_TTL_MS = 60_000;

/**
 * Flash messages that survive exactly one redirect (Post/Redirect/Get). The message rides in a
 * short-lived cookie sealed like the session cookie (JWE, A256GCM), so a one-time secret can be
 * shown on the redirected page without the server storing it. A flash carrying a secret is bound
 * to the session that created it; the next page that reads it clears it.
 */
@Injectable()
export class FlashService {
  readonly cookieName: string;

  constructor(private readonly cookies: SessionCookieService) {
    this.cookieName = `${cookies.name}_flash`;
  }

  /** Sets the flash for the next page. `sessionId` binds it to one session (required for a reveal). */
  async set(reply: FastifyReply, flash: Flash, sessionId?: string): Promise<void> {
    const sealed = await this.cookies.sealClaims({ f: flash, ...(sessionId ? { sid: sessionId } : {}) }, FLASH_TTL_MS);
    void reply.setCookie(this.cookieName, sealed, { ...this.cookies.cookieAttributes(), maxAge: FLASH_TTL_MS / 1000 });
  }

  /** Reads and clears the flash; null when none, expired, tampered with, or bound to another session. */
  async take(req: FastifyRequest, reply: FastifyReply, sessionId?: string): Promise<Flash | null> {
    const raw = req.cookies?.[this.cookieName];
    if (!raw) return null;
    void reply.clearCookie(this.cookieName, this.cookies.cookieAttributes());
    const claims = await this.cookies.openClaims(raw);
    if (!claims || typeof claims.f !== 'object' || claims.f === null) return null;
    const flash = claims.f as Flash;
    if (typeof flash.message !== 'string') return null;
    if (claims.sid !== undefined && claims.sid !== sessionId) return null;
    if (flash.reveal && claims.sid === undefined) return { ...flash, reveal: undefined };
    return flash;
  }
}
