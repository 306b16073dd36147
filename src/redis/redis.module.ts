import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { sources } from '../metrics/metrics';
import { CredentialCacheFanout } from './credential-cache-fanout';
import { createRedisClient, readyWithin } from './redis-client.factory';
import { REDIS_CLIENT } from './redis.constants';

/**
 * The optional Redis connection (REDIS_URL). Unset: `REDIS_CLIENT` is `null` and every user of
 * it keeps its in-process behaviour. Set: counters and cross-instance signals go through it.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis | null => (config.redisUrl ? createRedisClient(config.redisUrl, 'gatehouse') : null),
    },
    CredentialCacheFanout,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onModuleInit(): Promise<void> {
    // gatehouse_redis_up reads the connection's state (absent without REDIS_URL).
    const redis = this.redis;
    sources.redisStatus = () => (redis ? redis.status : null);
    if (!redis) return;
    // Start even when Redis is down (readiness says so, sign-in answers 503); only wait briefly.
    if (!(await readyWithin(redis, 3000))) this.logger.error('Redis is not reachable at start-up; retrying in the background');
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    // QUIT waits for a reply; a client still reconnecting would wait for ever, so just drop it.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis?.disconnect());
    else this.redis.disconnect();
  }
}
