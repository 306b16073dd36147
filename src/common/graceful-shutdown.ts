import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from './drain-on-close';

/** How long closing may take after the grace period before the process gives up (exit 1). */
const CLOSE_TIMEOUT_MS = 30_000;

/** After the grace period: the longest wait for connections to finish before closing anyway. */
const DRAIN_MAX_MS = 10_000;
/** No new connection for this long (the balancer has stopped sending) and none open: close. */
const QUIET_MS = 300;

/**
 * Waits, after the grace period, until no new connection has arrived for QUIET_MS and none is
 * open (each remaining one gets one more response, with `Connection: close`, and ends), at most
 * DRAIN_MAX_MS. Only then does the listener close: closing it earlier resets the connections
 * the kernel has queued but the busy process has not accepted yet, and http.Server.close()
 * destroys every connection without a request in progress, including one whose request is still
 * on the wire. Both are resets the client never gets an answer for.
 */
async function drainConnections(server: Server, lastConnectionAt: () => number): Promise<void> {
  const deadline = Date.now() + DRAIN_MAX_MS;
  while (Date.now() < deadline) {
    const open = await new Promise<number>((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)));
    if (open === 0 && Date.now() - lastConnectionAt() >= QUIET_MS) break;
    await sleep(25);
  }
  NetServer.prototype.close.call(server);
}

export function stopGracefullyOnSignals(app: INestApplication, graceMs: number, log: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(ShutdownState).begin();
    const server = app.getHttpServer() as Server;
    let lastConnectionAt = Date.now();
    server.on('connection', () => (lastConnectionAt = Date.now()));
    log.log(`${signal}: not ready any more; closing in ${graceMs} ms`);
    setTimeout(
      () => {
        log.error?.(`Shutdown took longer than ${CLOSE_TIMEOUT_MS} ms after the grace period; exiting`);
        process.exit(1);
      },
      graceMs + DRAIN_MAX_MS + CLOSE_TIMEOUT_MS,
    ).unref();
    await sleep(graceMs);
    try {
      if (graceMs > 0) await drainConnections(server, () => lastConnectionAt);
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
