import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

/**
 * Readiness check for the database: `SELECT 1` within a timeout. Terminus' TypeOrmHealthIndicator
 * is not used: it reaches into `@nestjs/typeorm/dist/…`, which @nestjs/typeorm 12 no longer exports,
 * and on a failed `require` it ends the process.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async pingCheck(key = 'database', timeoutMs = 1000) {
    const indicator = this.indicators.check(key);
    const abort = new AbortController();
    try {
      const timedOut = await Promise.race([
        this.dataSource.query('SELECT 1').then(() => false),
        sleep(timeoutMs, true, { signal: abort.signal }),
      ]);
      return timedOut ? indicator.down(`timeout of ${timeoutMs}ms exceeded`) : indicator.up();
    } catch {
      return indicator.down();
    } finally {
      abort.abort();
    }
  }
}
