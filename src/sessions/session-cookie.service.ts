import { Inject, Injectable } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { createHash } from 'node:crypto';
import { CredentialCache } from '../auth/credential-cache';
import { hashToken } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * Seals the session secret into the cookie with jose's JWE (dir + A256GCM: authenticated
 * encryption, so the value is both encrypted and tamper-evident). The newest configured key
 * seals; every configured key still opens, which is how keys rotate.
 */
@Injectable()
export class SessionCookieService {
  readonly name: string;
  private readonly keys: { kid: string; key: Uint8Array }[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: CredentialCache,
  ) {
    this.name = config.session.cookieName;
    this.keys = config.session.keys.map((key) => ({ kid: createHash('sha256').update(key).digest('base64url').slice(0, 8), key }));
  }

  async seal(secret: string): Promise<string> {
    return this.sealClaims({ sid: secret }, this.config.session.absoluteMs);
  }

  /** The session secret, or null if the cookie is missing, tampered with, expired or sealed by an unknown key. */
  async open(req: FastifyRequest): Promise<string | null> {
    const value = req.cookies?.[this.name];
    if (!value) return null;
    // Decrypting costs more than the rest of cookie authentication: reuse a recent opening of the
    // same cookie (keyed by its hash; the session row itself is still checked on every request).
    const opened = await this.cache.getOrLoad('session_cookie', hashToken(value), async () => {
      const payload = await this.openClaims(value);
      return typeof payload?.sid === 'string' ? { sid: payload.sid } : null;
    });
    return opened?.sid ?? null;
  }

  /** Seals any claims under the newest session key, expiring after `ttlMs` (also used for flash cookies). */
  async sealClaims(claims: Record<string, unknown>, ttlMs: number): Promise<string> {
    const { kid, key } = this.keys[0];
    return new EncryptJWT(claims)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
      .setIssuedAt()
      .setExpirationTime(new Date(Date.now() + ttlMs))
      .encrypt(key);
  }

  /** The claims of a value sealed by `sealClaims`, or null when missing, tampered with, expired or sealed by an unknown key. */
  async openClaims(value: string | undefined): Promise<Record<string, unknown> | null> {
    if (!value) return null;
    try {
      const { payload } = await jwtDecrypt(value, async (header) => {
        const found = this.keys.find((k) => k.kid === header.kid);
        if (!found) throw new Error('unknown key');
        return found.key;
      });
      return payload;
    } catch {
      return null;
    }
  }

  /** The attributes of the session cookie (path, HttpOnly, Secure, SameSite, Domain), for sibling cookies. */
  cookieAttributes(): CookieSerializeOptions {
    return this.attributes();
  }

  async set(reply: FastifyReply, secret: string): Promise<void> {
    void reply.setCookie(this.name, await this.seal(secret), {
      ...this.attributes(),
      maxAge: Math.floor(this.config.session.absoluteMs / 1000),
    });
  }

  clear(reply: FastifyReply): void {
    void reply.clearCookie(this.name, this.attributes());
  }

  private attributes(): CookieSerializeOptions {
    const s = this.config.session;
    return { path: '/', httpOnly: true, secure: s.secure, sameSite: s.sameSite, domain: s.domain };
  }
}
