import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * Whether this instance is shutting down. Set by SIGTERM (src/main.ts) before anything closes:
 * from then on `/health/ready` answers 503 so the load balancer stops sending new requests, and
 * every response carries `Connection: close` so clients leave their kept-alive connections.
 */
@Injectable()
export class ShutdownState {
  private startedAt: number | null = null;

  get draining(): boolean {
    return this.startedAt !== null;
  }

  begin(): void {
    this.startedAt ??= Date.now();
  }
}

/**
 * Graceful shutdown: Node's server.close() reaps only idle keep-alive sockets, so a connection that
 * was busy when shutdown began stays open after its response until the keep-alive timeout, holding
 * shutdown up for over a minute; and a client that reuses an idle socket just as it is closed sees
 * a reset. Responses sent while draining (SIGTERM's grace period) or closing therefore tell the
 * client to close the connection.
 */
export function closeConnectionsWhileDraining(fastify: FastifyInstance, state?: ShutdownState): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (closing || state?.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}
