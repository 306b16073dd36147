import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { NotReadyError } from './not-ready.error';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
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
  @ApiServiceUnavailableResponse({ description: 'A dependency (the database) is down; `checks` says which' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const details = (err.getResponse() as { details?: HealthIndicatorResult }).details ?? {};
      this.logger.warn({ checks: details }, 'Readiness check failed');
      throw new NotReadyError(details);
    }
  }
}
