import { ExecutionContext, Global, Module } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { FixedWindowThrottlerStorage } from '../common/fixed-window-throttler.storage';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { ATTEMPT_COUNTER_STORE, AttemptCounterStore } from './attempt-counter.store';
import { rateLimitStoreErrors } from '../metrics/metrics';
import { FailOpenThrottlerStorage } from './fail-open-throttler.storage';
import { MemoryAttemptCounterStore } from './memory-attempt-counter.store';
import { countedCredentialKey } from './presented-credential';
import { RedisAttemptCounterStore } from './redis-attempt-counter.store';

function throttlerOptions(config: AppConfig, redis: Redis | null): ThrottlerModuleOptions {
  const credential = (ctx: ExecutionContext) => countedCredentialKey(ctx, config.session.cookieName);
  const { perIpPerMinute: perIp, perCredentialPerMinute: perCredential } = config.rateLimit;
  return {
    throttlers: [
      // Without a credential: per IP. With one: per credential, so that a shared proxy IP does
      // not throttle the many API clients behind it (docs/scaling.md "Request ceilings").
      // A limit of 0 (RATE_LIMIT_PER_IP_PER_MINUTE / _PER_CREDENTIAL_PER_MINUTE) switches that one off.
      {
        name: 'default',
        ttl: 60_000,
        limit: Math.max(1, perIp),
        skipIf: (ctx) => perIp === 0 || credential(ctx) !== undefined,
      },
      {
        name: 'credential',
        ttl: 60_000,
        limit: Math.max(1, perCredential),
        skipIf: (ctx) => perCredential === 0 || credential(ctx) === undefined,
        getTracker: (_req, ctx) => credential(ctx) ?? '',
      },
    ],
    // Unset REDIS_URL: in-process fixed windows, O(1) per hit (the library's default storage
    // keeps and filters a list of hit times per key on every request).
    storage: redis
      ? new FailOpenThrottlerStorage(new ThrottlerStorageRedisService(redis), () => rateLimitStoreErrors.inc())
      : new FixedWindowThrottlerStorage(),
  };
}

/**
 * Rate limits and failure counters, in-process or in Redis (REDIS_URL): the throttler storage
 * behind the request ceilings and the token endpoint limits, and the `AttemptCounterStore`
 * behind sign-in throttling.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: throttlerOptions,
    }),
  ],
  providers: [
    {
      provide: ATTEMPT_COUNTER_STORE,
      inject: [REDIS_CLIENT],
      useFactory: (redis: Redis | null): AttemptCounterStore =>
        redis ? new RedisAttemptCounterStore(redis) : new MemoryAttemptCounterStore(),
    },
  ],
  exports: [ATTEMPT_COUNTER_STORE],
})
export class RateLimitsModule {}
