import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { ShutdownState } from '../common/drain-on-close';
import { DatabaseHealthIndicator } from './database.health';
import { NotReadyError } from './not-ready.error';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get()
  alive() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers; 503 when it does not. */
  @Public()
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({
    description: 'A dependency (the database, Redis when configured) is down, or the instance is shutting down; `checks` says which',
  })
  async ready(): Promise<HealthCheckResult> {
    // SIGTERM received: out of the load balancer's rotation at once, whatever the dependencies say.
    if (this.shutdown.draining) throw new NotReadyError({ shutdown: { status: 'down' } });
    try {
      const checks = [() => this.db.pingCheck('database', 2000)];
      // Redis is a check only where it is configured (REDIS_URL).
      if (this.redis.configured) checks.push(() => this.redis.pingCheck('redis'));
      return await this.health.check(checks);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const details = (err.getResponse() as { details?: HealthIndicatorResult }).details ?? {};
      this.logger.warn({ checks: details }, 'Readiness check failed');
      throw new NotReadyError(details);
    }
  }
}
