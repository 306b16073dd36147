import type { FastifyInstance } from 'fastify';
import FindMyWay, { HTTPMethod } from 'find-my-way';

const METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * find-my-way matches `/account/tokens/` to `/account/tokens/:id` with an empty `id`; Fastify's
 * own router does not serve that, so such a path is unknown (404), not a wrong method.
 */
function matchesWithEveryParam(router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>, method: HTTPMethod, path: string): boolean {
  const found = router.find(method, path);
  return found !== null && Object.values(found.params).every((value) => value !== undefined && value !== '');
}

/**
 * A known path asked with a method it does not serve answers 405 with `Allow` (RFC 9110
 * §15.5.6), not 404. A second router (find-my-way, what Fastify routes with) learns every
 * route as it is added; only requests no route matched consult it.
 */
export function answerWrongMethodWith405(fastify: FastifyInstance): void {
  const router = FindMyWay();
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (!METHODS.includes(method as HTTPMethod)) continue;
      try {
        router.on(method as HTTPMethod, route.url, () => undefined);
      } catch {
        // Declared twice (HEAD beside GET): already known.
      }
    }
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.url !== undefined) return done();
    const path = req.url.split('?', 1)[0];
    const allow = METHODS.filter((m) => m !== req.method && matchesWithEveryParam(router, m, path));
    if (allow.length === 0) return done();
    void reply
      .status(405)
      .header('allow', allow.join(', '))
      .send({
        statusCode: 405,
        error: 'method_not_allowed',
        message: `${req.method} is not allowed on ${path}; allowed: ${allow.join(', ')}`,
        requestId: req.id,
      });
  });
}
