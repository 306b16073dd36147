import { rateLimitRejections } from '../metrics/metrics';
import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerStorage, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { claimedClientId } from '../clients/client-authenticator.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TooManyTokenRequestsError } from '../auth/errors/oauth.errors';

/** The client a request claims to be, from Basic or the body: counted before authentication. */
function requestClientId(req: FastifyRequest): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const id = body && typeof body === 'object' ? body.client_id : undefined;
  return claimedClientId({ authorization: req.headers.authorization, clientId: typeof id === 'string' ? id : undefined });
}

interface FixedLimit {
  name: string;
  ttl: number;
  limit: number;
}

/**
 * Per-IP and per-client limits of the client-authenticated OAuth endpoints (token, revoke,
 * introspect), on top of the global per-IP ceiling. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class TokenEndpointThrottleGuard extends ThrottlerGuard {
  private readonly ipLimit: FixedLimit;
  private readonly clientLimit: FixedLimit;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @InjectThrottlerStorage() storage: ThrottlerStorage, reflector: Reflector) {
    const { perClient, perIp, windowMs } = config.oauth.tokenRateLimit;
    super(
      {
        throttlers: [
          { name: 'oauth-ip', ttl: windowMs, limit: perIp },
          {
            name: 'oauth-client',
            ttl: windowMs,
            limit: perClient,
            skipIf: (ctx) => requestClientId(ctx.switchToHttp().getRequest<FastifyRequest>()) === undefined,
            getTracker: (req) => `client:${requestClientId(req as unknown as FastifyRequest) ?? ''}`,
          },
        ],
        setHeaders: false,
      },
      storage,
      reflector,
    );
    this.ipLimit = { name: 'oauth-ip', ttl: windowMs, limit: perIp };
    this.clientLimit = { name: 'oauth-client', ttl: windowMs, limit: perClient };
  }

  /**
   * The same two counters as the throttlers above (same keys, order and 429), counted directly:
   * the base class's canActivate reads five route decorators per limit through the Reflector and
   * awaits each value on every request, and these routes carry none (the limits are
   * configuration, not @Throttle). The per-IP limit is counted first; a request over it is not
   * counted against its client.
   */
  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const clientId = requestClientId(req);
    await this.count(ctx, this.ipLimit, await this.getTracker(req));
    if (clientId !== undefined) await this.count(ctx, this.clientLimit, `client:${clientId}`);
    return true;
  }

  private async count(ctx: ExecutionContext, t: FixedLimit, tracker: string): Promise<void> {
    const key = this.generateKey(ctx, tracker, t.name);
    const hit = await this.storageService.increment(key, t.ttl, t.limit, t.ttl, t.name);
    if (hit.isBlocked) await this.throwThrottlingException(ctx, { limit: t.limit, ttl: t.ttl, key, tracker, ...hit });
  }

  protected override async throwThrottlingException(_ctx: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    rateLimitRejections.inc({ limiter: 'token_endpoint' });
    throw new TooManyTokenRequestsError(detail.timeToBlockExpire);
  }
}
