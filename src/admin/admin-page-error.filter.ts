import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailedError } from '../common/validation-failed.error';
import { AdminPageContext } from './admin-page.context';

/**
 * On admin pages a refused action (400, 404, 409: the last admin, a duplicate email…) is shown
 * as a page with its reason and a way back, not as JSON. Auth errors are not HttpExceptions and
 * keep going to the global filter.
 */
@Catch(HttpException)
export class AdminPageErrorFilter implements ExceptionFilter {
  constructor(private readonly context: AdminPageContext) {}

  catch(err: HttpException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = err.getStatus();
    const principal = req.user;
    const problems = err instanceof ValidationFailedError ? err.details.map((d) => `${d.field}: ${d.problems.join(', ')}`) : [];
    const back = typeof req.headers.referer === 'string' && sameSitePath(req.headers.referer);
    const data = { status, message: err.message, problems, back: back || '/admin/ui' };
    // Admin pages are behind the guard, so a principal is always there; the fallback is defensive.
    const context = principal ? this.context.build(principal, 'Not done', null, data) : { title: 'Not done', ...data };
    void reply.status(status).header('cache-control', 'no-store').view('admin/error.hbs', context);
  }
}

/** The path of a same-site Referer, so "Back" never leads off the site. */
function sameSitePath(referer: string): string | null {
  try {
    const url = new URL(referer);
    return url.pathname.startsWith('/admin/') ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}
