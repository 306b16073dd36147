import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../redis/redis.constants';

/** Readiness check for Redis, present only when REDIS_URL is set: a PING within the command timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly indicators: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  async pingCheck(key = 'redis') {
    const indicator = this.indicators.check(key);
    try {
      if (this.redis?.status !== 'ready') return indicator.down({ state: this.redis?.status ?? 'absent' });
      await this.redis.ping();
      return indicator.up();
    } catch {
      return indicator.down();
    }
  }
}
