import type { FastifyRequest } from 'fastify';
import { presentedScheme } from '../../src/auth/authentication.guard';
import { AuthenticationRequiredError, InvalidAuthRequestError } from '../../src/auth/errors/auth.errors';

const COOKIE = '__Host-gatehouse_session';
const req = (authorization?: string, cookies: Record<string, string> = {}) =>
  ({ headers: authorization === undefined ? {} : { authorization }, cookies }) as unknown as FastifyRequest;

describe('presentedScheme', () => {
  it.each([
    ['Bearer ghat_x', 'bearer'],
    ['bearer ghat_x', 'bearer'],
    ['  BEARER   ghat_x', 'bearer'],
    ['Secret ghcs_x', 'secret'],
    ['secret ghcs_x', 'secret'],
  ])('reads %j as %s', (header, scheme) => {
    expect(presentedScheme(req(header), COOKIE)).toBe(scheme);
  });

  it('reads the session cookie as the cookie scheme', () => {
    expect(presentedScheme(req(undefined, { [COOKIE]: 'jwe' }), COOKIE)).toBe('cookie');
  });

  it('lets the Authorization header win over a cookie', () => {
    expect(presentedScheme(req('Bearer ghat_x', { [COOKIE]: 'jwe' }), COOKIE)).toBe('bearer');
  });

  it('finds nothing without a header or the session cookie (other cookies do not count)', () => {
    expect(presentedScheme(req(undefined, { other: 'x', [COOKIE]: '' }), COOKIE)).toBeUndefined();
    expect(presentedScheme({ headers: {} } as FastifyRequest, COOKIE)).toBeUndefined();
  });

  it.each(['Basic dXNlcjpwYXNz', 'Digest x', 'Bearerghat_x', '', 'Token abc'])(
    'refuses the unsupported Authorization %j with a 401',
    (header) => {
      expect(() => presentedScheme(req(header), COOKIE)).toThrow(AuthenticationRequiredError);
    },
  );

  it.each(['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Secret ghcs_x y'])(
    'RFC 6750 §3.1: %j is a 400 invalid_request, not an unknown token',
    (header) => {
      expect(() => presentedScheme(req(header), COOKIE)).toThrow(InvalidAuthRequestError);
    },
  );

  it('RFC 6750 §3.1: a token also sent as access_token (query or body) is a 400 invalid_request', () => {
    const withQuery = { headers: { authorization: 'Bearer ghat_x' }, query: { access_token: 'ghat_x' } } as unknown as FastifyRequest;
    const withBody = { headers: { authorization: 'Bearer ghat_x' }, body: { access_token: 'ghat_x' } } as unknown as FastifyRequest;
    expect(() => presentedScheme(withQuery, COOKIE)).toThrow(InvalidAuthRequestError);
    expect(() => presentedScheme(withBody, COOKIE)).toThrow(InvalidAuthRequestError);
  });
});
