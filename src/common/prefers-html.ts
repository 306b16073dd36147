import type { FastifyRequest } from 'fastify';

/**
 * Content negotiation for routes that serve a page and a JSON API at one URL: browsers put
 * text/html first; API clients ask for JSON, or for anything (curl's `*\/*`), and get JSON.
 */
export function prefersHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}
