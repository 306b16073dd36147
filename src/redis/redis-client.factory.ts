import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * The one ioredis client of a process. Tuned to fail fast rather than queue: with the offline
 * queue off, a command sent while Redis is down fails at once (callers then fail open or closed,
 * each as it documents) instead of piling up behind a reconnect. ioredis reconnects by itself,
 * backing off up to 2 s between tries.
 */
export function createRedisClient(url: string, name: string): Redis {
  const logger = new Logger('Redis');
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  let wasReady = false;
  client.on('ready', () => {
    if (wasReady) logger.warn('Redis connection restored');
    wasReady = true;
  });
  client.on('error', (err: Error) => {
    // ioredis emits an error per failed reconnect: log the first of a run loudly, not each.
    if (client.status !== 'reconnecting' || wasReady) logger.error(`Redis error: ${err.message}`);
    wasReady = false;
  });
  return client;
}

/** Resolves once the client is ready, or after `timeoutMs` (start-up must not hang on Redis). */
export function readyWithin(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}
