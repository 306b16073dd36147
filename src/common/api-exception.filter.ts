import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError, PageRedirect } from '../auth/errors/auth.errors';
import { errorDescription } from '../auth/errors/error-description';
import { ApiErrorBody, codeForStatus, OAUTH_ERROR_BODIES } from './api-error';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database/database-unavailable';
import { isMalformedValue } from '../database/malformed-value';
import { isUniqueViolation } from '../database/unique-violation';
import { credentialsRefused, rateLimitRejections } from '../metrics/metrics';
import { NOT_FOUND_PAGE_CONTEXT, NotFoundPageContext } from './not-found-page';
import { prefersHtml } from './prefers-html';
import { isRenderable } from './renderable-error';
import { requestId } from './request-meta';
import { ValidationFailedError } from './validation-failed.error';

/** What a request refused for its body gets before any handler runs: malformed, too large, unknown media type. */
const MALFORMED_REQUEST = new Set([400, 413, 415]);

/**
 * The one place errors become responses. Known errors keep their 4xx; anything unexpected is
 * a 500 carrying the request id, logged with its stack (never with credentials).
 */
/** The client-authenticated OAuth endpoints (token, revoke, introspect, …) mark themselves in their route config. */
function isOAuthEndpoint(req: FastifyRequest): boolean {
  return Boolean((req.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[OAUTH_ERROR_BODIES]);
}

/** Metrics: refused credentials (401s) by scheme and reason, and request-ceiling rejections. */
function countRefusal(req: FastifyRequest, err: unknown, status: number, code: unknown): void {
  if (err instanceof ThrottlerException) rateLimitRejections.inc({ limiter: 'request_ceiling' });
  if (status !== 401) return;
  const auth = req.headers?.authorization;
  const scheme = err instanceof AuthError ? (auth ? auth.split(' ')[0].toLowerCase() : req.headers?.cookie ? 'cookie' : 'none') : 'client';
  // Bounded label values only: the scheme names we know, the error code (never the credential).
  const known = ['bearer', 'secret', 'basic', 'cookie', 'none', 'client'];
  credentialsRefused.inc({
    scheme: known.includes(scheme) ? scheme : 'other',
    reason: typeof code === 'string' ? code.slice(0, 40) : 'unknown',
  });
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(@Optional() @Inject(NOT_FOUND_PAGE_CONTEXT) private readonly notFoundPage?: NotFoundPageContext) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    if (reply.sent) return;
    const rid = requestId(req);

    if (err instanceof PageRedirect) {
      void reply.header('cache-control', 'no-store').redirect(err.location, 303);
      return;
    }
    if (isRenderable(err)) {
      const r = err.render(rid);
      countRefusal(req, err, r.status, (r.body as { error?: unknown } | undefined)?.error);
      void reply.headers(r.headers ?? {}).status(r.status);
      if (r.view) void reply.view(r.view.template, r.view.data);
      else void reply.send(r.body);
      return;
    }

    if (isDatabaseUnavailable(err)) {
      this.answerDatabaseUnavailable(err, req, reply, rid);
      return;
    }

    const body = this.toBody(err, rid);
    countRefusal(req, err, body.statusCode, body.error);
    if (MALFORMED_REQUEST.has(body.statusCode) && isOAuthEndpoint(req)) {
      // RFC 6749 §5.2: the OAuth endpoints answer a request refused before their handler ran
      // (oversized or malformed body) with a 400 invalid_request that OAuth clients can read.
      void reply
        .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
        .status(400)
        .send({ error: 'invalid_request', error_description: errorDescription(body.message) });
      return;
    }
    if (err instanceof AuthError && err.wwwAuthenticate) void reply.header('www-authenticate', err.wwwAuthenticate);
    if (body.statusCode >= 500) {
      this.logger.error({ err, requestId: rid }, err instanceof Error ? (err.stack ?? err.message) : String(err));
    }
    if (body.statusCode === 404 && req.method === 'GET' && prefersHtml(req)) {
      // A person who mistyped an address gets a page with a way back, not JSON; API clients
      // (Accept: application/json or */*) keep the JSON body.
      void this.renderNotFound(req, reply);
      return;
    }
    void reply.status(body.statusCode).send(body);
  }

  /** "Page not found", with the navigation when a session is signed in (NotFoundPageContext). */
  private async renderNotFound(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.notFoundPage?.apply(req, reply);
    await reply
      .status(404)
      .header('cache-control', 'no-store')
      .view('not-found.hbs', { title: 'Page not found', path: req.url.split('?', 1)[0].slice(0, 200) });
  }

  /**
   * The database is unreachable: 503 + Retry-After, never a 500. OAuth endpoints answer in
   * RFC 6749 §5.2 form with `temporarily_unavailable` (the code §4.1.2.1 defines for a server
   * that cannot handle the request for now); the rest in the API's error shape.
   */
  private answerDatabaseUnavailable(err: unknown, req: FastifyRequest, reply: FastifyReply, rid: string): void {
    this.logger.error({ requestId: rid }, `Database unavailable: ${err instanceof Error ? err.message : String(err)}`);
    void reply.headers({ 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS), 'cache-control': 'no-store' }).status(503);
    const message = 'The service is temporarily unavailable; try again shortly.';
    if (isOAuthEndpoint(req)) {
      void reply.header('pragma', 'no-cache').send({ error: 'temporarily_unavailable', error_description: message });
      return;
    }
    void reply.send({ statusCode: 503, error: 'service_unavailable', message, requestId: rid });
  }

  private toBody(err: unknown, rid: string): ApiErrorBody {
    if (err instanceof AuthError) {
      return { statusCode: err.status, error: err.code, message: err.message, requestId: rid };
    }
    if (err instanceof ValidationFailedError) {
      return { statusCode: 400, error: 'validation_failed', message: 'Validation failed', details: err.details, requestId: rid };
    }
    if (err instanceof ThrottlerException) {
      return { statusCode: 429, error: 'too_many_requests', message: 'Too many requests, try again later', requestId: rid };
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const res = err.getResponse();
      const raw = typeof res === 'string' ? res : (res as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : err.message;
      return { statusCode: status, error: codeForStatus(status), message, requestId: rid };
    }
    // Errors Fastify raises before Nest sees the request (bad JSON, 413, 415) carry a 4xx statusCode.
    const fastifyStatus = (err as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return {
        statusCode: fastifyStatus,
        error: codeForStatus(fastifyStatus),
        message: (err as Error).message,
        requestId: rid,
      };
    }
    if (isMalformedValue(err)) {
      return { statusCode: 400, error: 'invalid_request', message: 'A value in the request is malformed', requestId: rid };
    }
    // A unique index refused a row that a handler did not expect to collide (every driver's code).
    if (isUniqueViolation(err)) {
      return { statusCode: 409, error: codeForStatus(409), message: 'This already exists', requestId: rid };
    }
    return { statusCode: 500, error: 'internal_error', message: 'An unexpected error occurred', requestId: rid };
  }
}
