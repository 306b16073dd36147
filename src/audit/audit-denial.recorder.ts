import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthDenial, AuthDenialListeners } from '../auth/auth-denial-listeners';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import { presentedToken } from '../auth/authentication.guard';
import { isWellFormed, redactToken } from '../auth/token-format';
import { requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuditService } from './audit.service';
import { auditedRoute } from './audited-route';

/**
 * Records the guard's refusals (401, 403) on audited routes with outcome `denied`, as the
 * request interceptor records what reached a handler. A 403 names the principal and its
 * credential id; a 401 has no principal, so the row names the kind of credential presented
 * and, for a well-formed token, its redacted form (`ghpat_…AbCd`, as token lists show it):
 * never the secret.
 */
@Injectable()
export class AuditDenialRecorder implements OnModuleInit {
  constructor(
    private readonly listeners: AuthDenialListeners,
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly strategies: AuthStrategyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.listeners.register((denial) => this.record(denial));
  }

  private async record({ ctx, error }: AuthDenial): Promise<void> {
    if (error.status !== 401 && error.status !== 403) return;
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const principal = req.user;
    const header = req.headers.authorization;
    const byToken = principal ? principal.credential.kind !== 'session' : header !== undefined;
    const route = auditedRoute(this.reflector, ctx, req.method, byToken);
    if (!route) return;

    const targetId = (req.params as Record<string, string> | undefined)?.[route.targetParam];
    const presented = principal ? undefined : this.presented(req, header);
    const record = {
      action: route.action,
      outcome: 'denied' as const,
      target: route.targetType && targetId ? { type: route.targetType, id: targetId } : undefined,
      meta: requestMeta(req),
      details: {
        method: req.method,
        route: req.routeOptions?.url,
        status: error.status,
        error: error.code,
        ...(presented?.hint ? { credential: presented.hint } : {}),
      },
    };
    if (principal) await this.audit.recordFor(principal, record);
    else await this.audit.record({ ...record, credential: presented && { kind: presented.kind, id: null } });
  }

  /**
   * The kind of credential a refused request carried, and a hint that is not the secret: a
   * well-formed token of a prefix some strategy registered is that strategy's credential kind.
   */
  private presented(req: FastifyRequest, header: string | undefined): { kind: string; hint?: string } | undefined {
    if (header === undefined) return req.cookies?.[this.config.session.cookieName] ? { kind: this.cookieKind() } : undefined;
    const scheme = header.trim().split(/\s+/, 1)[0]?.toLowerCase();
    const token = presentedToken(header);
    const claim = scheme === 'bearer' || scheme === 'secret' ? this.strategies.claimFor(scheme, token) : undefined;
    return claim?.token && isWellFormed(claim.token, token)
      ? { kind: claim.credentialKind, hint: redactToken(token) }
      : { kind: 'unknown' };
  }

  /** The credential kind of the cookie scheme's strategy (the session's). */
  private cookieKind(): string {
    return this.strategies.strategiesFor('cookie')[0]?.credentialKind ?? 'unknown';
  }
}
