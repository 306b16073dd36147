import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InsufficientScopeError } from '../auth/errors/auth.errors';
import { ApiExceptionFilter } from '../common/api-exception.filter';
import { prefersHtml } from '../common/prefers-html';
import { isRenderable } from '../common/renderable-error';
import { ValidationFailedError } from '../common/validation-failed.error';
import { PageLayoutService } from '../web/page-layout.service';
import { AdminPageContext } from './admin-page.context';

/** Page titles by status: a person reads what happened before the details. */
const TITLES: Record<number, string> = {
  400: 'Please check what you entered',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible right now',
};

/**
 * On admin pages a refused action (400, 404, 409: the last admin, a duplicate email…) is shown
 * as a page with its reason and a way back, not as JSON. A signed-in person without the admin
 * role gets a "not allowed" page (403). Other auth errors keep going to the global filter.
 */
@Catch(HttpException, InsufficientScopeError)
export class AdminPageErrorFilter implements ExceptionFilter {
  constructor(
    private readonly context: AdminPageContext,
    private readonly layout: PageLayoutService,
  ) {}

  async catch(err: HttpException | InsufficientScopeError, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const principal = req.user;
    // Scripts and API clients keep the RFC 6750 JSON answer; a person's browser gets a page.
    if (err instanceof InsufficientScopeError && !prefersHtml(req)) return new ApiExceptionFilter().catch(err, host);
    // The guard refused before the layout was filled: fill it now, so the page has its navigation.
    if (!reply.locals?.nav) await this.layout.apply(req, reply);
    // An error that renders itself (the step-up page, a 403 step_up_required) answers as it says.
    if (isRenderable(err)) return new ApiExceptionFilter().catch(err, host);
    if (err instanceof InsufficientScopeError) {
      void reply
        .status(403)
        .header('cache-control', 'no-store')
        .header('www-authenticate', err.wwwAuthenticate)
        .view('not-allowed.hbs', { title: 'Not allowed', user: principal?.user });
      return;
    }
    const status = err.getStatus();
    const problems = err instanceof ValidationFailedError ? err.details.map((d) => `${d.field}: ${d.problems.join(', ')}`) : [];
    const back = typeof req.headers.referer === 'string' && sameSitePath(req.headers.referer);
    const title = TITLES[status] ?? 'Something went wrong';
    // A refused filter (a GET with a bad query) keeps what the admin typed: shown here, and the
    // way back is the same page with the fields that were fine.
    const typed = req.method === 'GET' ? typedFilter(req.url, err) : undefined;
    const data = {
      status,
      heading: title,
      message: err.message,
      problems,
      back: typed?.back ?? (back || '/admin/ui'),
      typed: typed?.fields,
    };
    // Admin pages are behind the guard, so a principal is always there; the fallback is defensive.
    const context = principal ? this.context.build(principal, title, data) : { title, ...data };
    void reply.status(status).header('cache-control', 'no-store').view('admin/error.hbs', context);
  }
}

/** The query the admin typed, and the page's URL without the fields that were refused. */
function typedFilter(url: string, err: HttpException): { fields: { name: string; value: string }[]; back: string } | undefined {
  const [path, query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  const fields = [...params].filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }));
  if (fields.length === 0) return undefined;
  const refused = new Set(err instanceof ValidationFailedError ? err.details.map((d) => d.field.split('.')[0]) : []);
  const kept = new URLSearchParams([...params].filter(([k]) => !refused.has(k) && k !== 'cursor'));
  return { fields, back: kept.size ? `${path}?${kept}` : path };
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
