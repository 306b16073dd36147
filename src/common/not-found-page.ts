import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fills the layout's context (navigation, signed-in user) for the "Page not found" page, which
 * the exception filter renders for an address no route serves: no guard ran there, so the web
 * module reads the session itself. Provided by the web module; optional for the filter.
 */
export interface NotFoundPageContext {
  apply(req: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export const NOT_FOUND_PAGE_CONTEXT = Symbol('NotFoundPageContext');
