import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthDenial, AuthDenialListeners } from '../auth/auth-denial-listeners';
import type { CredentialKind } from '../auth/principal';
import { isWellFormed, redactToken, TokenKind } from '../auth/token-format';
import { requestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuditService } from './audit.service';
import { auditedRoute } from './audited-route';

/** Token prefixes a presented credential can carry, and the credential kind each one is. */
const PRESENTED_KINDS: readonly [TokenKind, CredentialKind][] = [
  ['personalAccessToken', 'pat'],
  ['accessToken', 'oauth_access'],
  ['clientSecret', 'client_secret'],
  ['botToken', 'bot_token'],
  ['impersonationToken', 'impersonation'],
];

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

  /** The kind of credential a refused request carried, and a hint that is not the secret. */
  private presented(req: FastifyRequest, header: string | undefined): { kind: string; hint?: string } | undefined {
    if (header === undefined) return req.cookies?.[this.config.session.cookieName] ? { kind: 'session' } : undefined;
    const token = /^\s*\S+\s+(\S+)\s*$/.exec(header)?.[1];
    const known = token ? PRESENTED_KINDS.find(([kind]) => isWellFormed(kind, token)) : undefined;
    return known && token ? { kind: known[1], hint: redactToken(token) } : { kind: 'unknown' };
  }
}
