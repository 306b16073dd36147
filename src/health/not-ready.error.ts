import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { RenderableError, RenderedError } from '../common/renderable-error';

/**
 * Readiness failed: 503 in the API's error shape, naming each check as up or down. Driver
 * messages are left out (the endpoint is public and they can name hosts); they are logged.
 */
export class NotReadyError extends Error implements RenderableError {
  readonly checks: Record<string, { status: string }>;

  constructor(details: HealthIndicatorResult) {
    const checks = Object.fromEntries(Object.entries(details).map(([name, d]) => [name, { status: String(d.status) }]));
    const down = Object.keys(checks).filter((name) => checks[name].status !== 'up');
    super(`Not ready: ${down.join(', ') || 'a dependency'} down`);
    this.checks = checks;
  }

  render(requestId: string): RenderedError {
    return {
      status: 503,
      headers: { 'cache-control': 'no-store', 'retry-after': '5' },
      body: { statusCode: 503, error: 'service_unavailable', message: this.message, requestId, checks: this.checks },
    };
  }
}
