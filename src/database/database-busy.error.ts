import type { RenderableError, RenderedError } from '../common/renderable-error';

/**
 * A short transaction still lost to lock contention after its retries (see transactions.ts): a 503
 * with Retry-After (RFC 9110 §15.6.4, §10.2.3), for the client to try again, instead of a 500.
 * Nothing was written.
 */
export class DatabaseBusyError extends Error implements RenderableError {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`The database was busy (lock contention) after ${attempts} attempts`);
  }

  render(requestId: string): RenderedError {
    return {
      status: 503,
      headers: { 'cache-control': 'no-store', 'retry-after': '1' },
      body: { statusCode: 503, error: 'service_unavailable', message: 'The server is busy; nothing was changed. Try again.', requestId },
    };
  }
}
