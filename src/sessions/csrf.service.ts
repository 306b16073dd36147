import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHmac } from 'node:crypto';
import { CsrfError } from '../auth/errors/auth.errors';
import { constantTimeEquals } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated requests: unsafe methods must be same-origin
 * (Sec-Fetch-Site, else Origin), and form posts must also carry the session's CSRF token.
 * Bearer and Secret requests never reach this: browsers do not attach those by themselves.
 */
@Injectable()
export class CsrfService {
  private readonly publicOrigin: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.publicOrigin = new URL(config.publicUrl).origin;
  }

  /** The token pages embed in their forms: an HMAC of the session id under the newest session key. */
  tokenFor(sessionId: string): string {
    return createHmac('sha256', this.config.session.keys[0]).update(`csrf:${sessionId}`).digest('base64url');
  }

  isUnsafe(req: FastifyRequest): boolean {
    return !SAFE_METHODS.has(req.method);
  }

  /** Same-origin check only: used where no session exists yet (the sign-in form). */
  assertSameOrigin(req: FastifyRequest): void {
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string') {
      if (site === 'same-origin' || site === 'none') return;
      throw new CsrfError('Cross-site request refused');
    }
    const origin = req.headers.origin;
    if (!origin) throw new CsrfError('Origin header required for cookie-authenticated requests');
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (origin !== this.publicOrigin && origin !== own) throw new CsrfError('Cross-origin request refused');
  }

  /**
   * For the signed-out JSON endpoints (sign-in, password reset): a script's JSON request with
   * neither Sec-Fetch-Site nor Origin and no session cookie is accepted. A browser cannot make
   * that request cross-site: a JSON body needs a CORS preflight, which Gatehouse never grants,
   * and browsers send Origin on every cross-origin POST. Forms keep the same-origin rule.
   */
  assertSignedOutOrigin(req: FastifyRequest): void {
    const fromScript =
      req.headers['sec-fetch-site'] === undefined &&
      req.headers.origin === undefined &&
      (req.headers['content-type'] ?? '').startsWith('application/json') &&
      !req.cookies?.[this.config.session.cookieName];
    if (!fromScript) this.assertSameOrigin(req);
  }

  /** Full check for an unsafe cookie-authenticated request. */
  verify(req: FastifyRequest, sessionId: string): void {
    if (!this.isUnsafe(req)) return;
    this.assertSameOrigin(req);
    if (isFormPost(req)) {
      const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !constantTimeEquals(sent, this.tokenFor(sessionId))) {
        throw new CsrfError('Missing or invalid CSRF token');
      }
    }
  }
}

export function isFormPost(req: FastifyRequest): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}
