import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown (SIGTERM → app.close()): Node's server.close() reaps only idle keep-alive
 * sockets, so a connection that was busy when shutdown began stays open after its response
 * until the keep-alive timeout, holding shutdown up for over a minute. Responses sent while
 * closing therefore tell the client to close the connection.
 */
export function closeConnectionsWhileDraining(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
