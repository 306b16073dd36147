import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'fast-querystring';
import { jsonShapeProblem } from './json-shape';

/** A body Fastify refuses before Nest sees the request; the exception filter keeps its 4xx. */
class BodyShapeError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_INVALID_JSON_BODY';
}

/**
 * The app's two body parsers, in place of Nest's (createApp passes `bodyParser: false`):
 * - JSON: the shape limits of json-shape.ts on the raw text (one pass, no extra walk of the
 *   parsed value), then Fastify's own parser, which refuses `__proto__`/`constructor` keys.
 * - Forms: fast-querystring, as Nest's parser (flat: `a[b]=1` stays a key named `a[b]`).
 * Both keep the configured body limit (`413` above it).
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    const problem = jsonShapeProblem(body as string);
    if (problem) {
      done(new BodyShapeError(problem), undefined);
      return;
    }
    // Fastify's default JSON parser answers through `done`; its typing also allows a promise.
    void parseJson(req, body as string, done);
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    done(null, parseQueryString(body as string));
  });
}
