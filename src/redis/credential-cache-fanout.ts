import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CredentialCache } from '../auth/credential-cache';
import { REDIS_CLIENT } from './redis.constants';

/** The pub/sub channel of credential-cache invalidations (one per Redis db). */
export const INVALIDATION_CHANNEL = 'gatehouse:credential-cache:invalidate';

/**
 * Fans credential-cache invalidations out to every instance through Redis pub/sub (REDIS_URL):
 * a revocation written on one instance empties the caches of all, so it is refused everywhere
 * within milliseconds rather than at the end of the cache TTL. Each message carries the sender's
 * id so an instance ignores its own. Without Redis, or while it is down, nothing is lost that
 * matters: cache entries live at most 1 s (CREDENTIAL_CACHE_TTL_MS), and a (re)subscription
 * empties the local cache in case a message was missed.
 */
@Injectable()
export class CredentialCacheFanout implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CacheFanout');
  private readonly instanceId = randomUUID();
  private subscriber?: Redis;
  private lastErrorLogAt = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly cache: CredentialCache,
  ) {}

  onModuleInit(): void {
    if (!this.redis) return;
    const publisher = this.redis;
    this.cache.onInvalidate((origin) => {
      if (origin !== 'local') return; // a remote signal is never forwarded again
      publisher.publish(INVALIDATION_CHANNEL, this.instanceId).catch((err: unknown) => this.logError(err));
    });

    // A subscribed connection can do nothing else: a duplicate of the main client.
    const subscriber = publisher.duplicate({ connectionName: 'gatehouse-subscriber' });
    this.subscriber = subscriber;
    subscriber.on('error', (err: Error) => this.logError(err));
    subscriber.on('message', (channel: string, sender: string) => {
      if (channel === INVALIDATION_CHANNEL && sender !== this.instanceId) this.cache.invalidateAll('remote');
    });
    subscriber.on('ready', () => {
      // Messages sent while disconnected are lost: start clean.
      this.cache.invalidateAll('resubscribe');
      subscriber.subscribe(INVALIDATION_CHANNEL).catch((err: unknown) => this.logError(err));
    });
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private logError(err: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLogAt < 10_000) return;
    this.lastErrorLogAt = now;
    this.logger.error(
      `Cache invalidation fan-out unavailable (${err instanceof Error ? err.message : String(err)}); other instances catch up within the cache TTL (≤ 1 s)`,
    );
  }
}
