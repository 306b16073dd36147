import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from './config/app-config';

/**
 * Structured JSON logs with a request id. Credentials never reach a log line: auth and cookie
 * headers are redacted, and bodies (passwords, tokens) are never logged.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // Fastify assigned the id already (see request-id.ts); reuse it.
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          'req.query.access_token',
          'req.query.code',
          'req.query.token',
        ],
        censor: '[redacted]',
      },
      serializers: {
        // Query strings can carry codes and tokens: log the path only.
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
          userAgent: req.headers['user-agent'],
        }),
      },
      customProps: () => ({ service: 'gatehouse' }),
    },
  };
}
