import type { INestApplication, LoggerService } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from './drain-on-close';

/** How long closing may take after the grace period before the process gives up (exit 1). */
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * SIGTERM / SIGINT: readiness answers 503 at once and every response carries `Connection: close`;
 * after `graceMs` (long enough for a load balancer to see readiness fail and for kept-alive
 * clients to leave) the server closes: no new connections, idle ones closed, in-flight requests
 * finish, the database and Redis disconnect. Then exit 0 (Nest's own shutdown hooks re-raise the
 * signal, which ends the process with 143: an orchestrator reads that as a crash).
 */
export function stopGracefullyOnSignals(app: INestApplication, graceMs: number, log: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(ShutdownState).begin();
    log.log(`${signal}: not ready any more; closing in ${graceMs} ms`);
    setTimeout(() => {
      log.error?.(`Shutdown took longer than ${CLOSE_TIMEOUT_MS} ms after the grace period; exiting`);
      process.exit(1);
    }, graceMs + CLOSE_TIMEOUT_MS).unref();
    await sleep(graceMs);
    try {
      await app.close();
      log.log('Closed; exiting');
      process.exit(0);
    } catch (err) {
      log.error?.(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
}
