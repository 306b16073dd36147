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

/**
 * Per-IP and per-client limits of the client-authenticated OAuth endpoints (token, revoke,
 * introspect), on top of the global per-IP ceiling. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class TokenEndpointThrottleGuard extends ThrottlerGuard {
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
  }

  protected override async throwThrottlingException(_ctx: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    rateLimitRejections.inc({ limiter: 'token_endpoint' });
    throw new TooManyTokenRequestsError(detail.timeToBlockExpire);
  }
}
