import type { FastifyRequest } from 'fastify';
import { presentedScheme } from '../../src/auth/authentication.guard';
import { AuthenticationRequiredError } from '../../src/auth/errors/auth.errors';

const COOKIE = '__Host-gatehouse_session';
const req = (authorization?: string, cookies: Record<string, string> = {}) =>
  ({ headers: authorization === undefined ? {} : { authorization }, cookies }) as unknown as FastifyRequest;

describe('presentedScheme', () => {
  it.each([
    ['Bearer ghat_x', 'bearer'],
    ['bearer ghat_x', 'bearer'],
    ['  BEARER   ghat_x', 'bearer'],
    ['Bearer', 'bearer'],
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

  it.each(['Basic dXNlcjpwYXNz', 'Digest x', 'Bearerghat_x', '', 'Token abc'])('refuses the unsupported Authorization %j with a 401', (header) => {
    expect(() => presentedScheme(req(header), COOKIE)).toThrow(AuthenticationRequiredError);
  });
});
