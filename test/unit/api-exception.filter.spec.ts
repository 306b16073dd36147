import { ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException, ValidationError } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { InsufficientScopeError, InvalidTokenError, LoginRequiredRedirect } from '../../src/auth/errors/auth.errors';
import { ApiExceptionFilter } from '../../src/common/api-exception.filter';
import { ValidationFailedError } from '../../src/common/validation-failed.error';

/** A recording stand-in for the Fastify reply: every call chains, like the real one. */
class FakeReply {
  sent = false;
  statusCode = 200;
  headersSet: Record<string, string> = {};
  body: unknown;
  redirectedTo?: { url: string; code: number };
  header(name: string, value: string) {
    this.headersSet[name.toLowerCase()] = value;
    return this;
  }
  headers(values: Record<string, string>) {
    for (const [k, v] of Object.entries(values)) this.header(k, v);
    return this;
  }
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  send(body: unknown) {
    this.body = body;
    this.sent = true;
    return this;
  }
  redirect(url: string, code: number) {
    this.redirectedTo = { url, code };
    this.sent = true;
    return this;
  }
}

describe('ApiExceptionFilter', () => {
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  function handle(err: unknown, reply = new FakeReply()): FakeReply {
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ id: 'req-42', url: '/x' }), getResponse: () => reply }),
    } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(err, host);
    return reply;
  }

  describe('an unexpected error', () => {
    it('becomes a 500 with the request id and a generic message', () => {
      const reply = handle(new Error('database password is hunter2'));
      expect(reply.statusCode).toBe(500);
      expect(reply.body).toEqual({
        statusCode: 500,
        error: 'internal_error',
        message: 'An unexpected error occurred',
        requestId: 'req-42',
      });
      expect(JSON.stringify(reply.body)).not.toContain('hunter2');
    });

    it('is logged with its stack and the request id', () => {
      const err = new Error('boom');
      handle(err);
      expect(logged).toHaveBeenCalledTimes(1);
      const [context, message] = logged.mock.calls[0];
      expect(context).toEqual({ err, requestId: 'req-42' });
      expect(message).toBe(err.stack);
      expect(message).toMatch(/^Error: boom\n\s+at /);
    });

    it('also when something other than an Error is thrown', () => {
      const reply = handle('a string');
      expect(reply.statusCode).toBe(500);
      expect(logged).toHaveBeenCalledWith({ err: 'a string', requestId: 'req-42' }, 'a string');
    });

    it('a 5xx from Fastify is not passed through as is', () => {
      const reply = handle(Object.assign(new Error('socket detail'), { statusCode: 503 }));
      expect(reply.statusCode).toBe(500);
      expect(logged).toHaveBeenCalled();
    });
  });

  describe('known errors keep their status and are not logged as errors', () => {
    afterEach(() => expect(logged).not.toHaveBeenCalled());

    it('RFC 6750 §3.1: invalid_token → 401 with its challenge', () => {
      const reply = handle(new InvalidTokenError());
      expect(reply.statusCode).toBe(401);
      expect(reply.headersSet['www-authenticate']).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
      expect(reply.body).toMatchObject({ statusCode: 401, error: 'invalid_token', requestId: 'req-42' });
    });

    it('RFC 6750 §3.1: insufficient_scope → 403 naming the scope', () => {
      const reply = handle(new InsufficientScopeError(['write:device']));
      expect(reply.statusCode).toBe(403);
      expect(reply.headersSet['www-authenticate']).toContain('scope="write:device"');
      expect(reply.body).toMatchObject({ error: 'insufficient_scope' });
    });

    it('validation failures → 400 with the field list', () => {
      const child: ValidationError = { property: 'co2', constraints: { min: 'co2 must not be less than 0' }, children: [] };
      const item: ValidationError = { property: '2', children: [child] };
      const reply = handle(new ValidationFailedError([{ property: 'samples', children: [item] }]));
      expect(reply.statusCode).toBe(400);
      expect(reply.body).toMatchObject({
        error: 'validation_failed',
        details: [{ field: 'samples.2.co2', problems: ['co2 must not be less than 0'] }],
      });
    });

    it('HttpExceptions → their status, a code for it and their message', () => {
      expect(handle(new NotFoundException('Device not found')).body).toEqual({
        statusCode: 404,
        error: 'not_found',
        message: 'Device not found',
        requestId: 'req-42',
      });
      expect(handle(new BadRequestException(['a is bad', 'b is bad'])).body).toMatchObject({
        statusCode: 400,
        message: 'a is bad; b is bad',
      });
      expect(handle(new HttpException('I am a teapot', 418)).body).toMatchObject({ statusCode: 418, error: 'bad_request' });
    });

    it('the throttler → 429', () => {
      expect(handle(new ThrottlerException()).body).toMatchObject({ statusCode: 429, error: 'too_many_requests' });
    });

    it("Fastify's own 4xx errors (bad JSON, 413, 415) keep their status", () => {
      for (const [status, code] of [
        [400, 'bad_request'],
        [413, 'payload_too_large'],
        [415, 'unsupported_media_type'],
      ] as const) {
        const reply = handle(Object.assign(new Error('fastify says no'), { statusCode: status }));
        expect(reply.body).toEqual({ statusCode: status, error: code, message: 'fastify says no', requestId: 'req-42' });
      }
    });

    it('a page that needs sign-in → 303 to /login with the way back', () => {
      const reply = handle(new LoginRequiredRedirect('/account?tab=1'));
      expect(reply.redirectedTo).toEqual({ url: '/login?next=%2Faccount%3Ftab%3D1', code: 303 });
      expect(reply.headersSet['cache-control']).toBe('no-store');
    });

    it('renderable errors render themselves', () => {
      const err = {
        render: (rid: string) => ({ status: 400, headers: { 'cache-control': 'no-store' }, body: { error: 'invalid_grant', rid } }),
      };
      const reply = handle(err);
      expect(reply.statusCode).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_grant', rid: 'req-42' });
      expect(reply.headersSet['cache-control']).toBe('no-store');
    });

    it('a reply already sent is left alone', () => {
      const reply = new FakeReply();
      reply.sent = true;
      handle(new Error('late'), reply);
      expect(reply.body).toBeUndefined();
    });
  });
});

describe('ApiExceptionFilter: database unreachable (issue 11)', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  function handle(err: unknown, oauth = false): FakeReply {
    const reply = new FakeReply();
    const req = { id: 'req-7', url: '/x', routeOptions: { config: oauth ? { oauthErrorBodies: true } : {} } };
    const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }) } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(err, host);
    return reply;
  }
  const driverError = (code: string) =>
    Object.assign(new Error(`driver: ${code}`), { driverError: Object.assign(new Error(code), { code }) });

  it.each(['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN'])(
    'RFC 9110 §15.6.4: %s is a 503 with Retry-After, never a 500',
    (code) => {
      const reply = handle(driverError(code));
      expect(reply.statusCode).toBe(503);
      expect(reply.headersSet['retry-after']).toBe('5');
      expect(reply.body).toMatchObject({ statusCode: 503, error: 'service_unavailable', requestId: 'req-7' });
    },
  );

  it('RFC 6749 §5.2 / §4.1.2.1: an OAuth endpoint answers temporarily_unavailable', () => {
    const reply = handle(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true);
    expect(reply.statusCode).toBe(503);
    expect(reply.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(reply.headersSet).toMatchObject({ 'retry-after': '5', 'cache-control': 'no-store', pragma: 'no-cache' });
  });

  it('a query error that is not about reaching the database stays a 500', () => {
    expect(handle(driverError('ER_PARSE_ERROR')).statusCode).toBe(500);
  });
});
