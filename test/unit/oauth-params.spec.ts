import { InvalidRequestError, InvalidScopeError } from '../../src/auth/errors/oauth.errors';
import { OAuthParams } from '../../src/oauth/oauth-params';

describe('OAuthParams', () => {
  it('RFC 6749 §3.3: splits a space-delimited scope and de-duplicates it in order', () => {
    expect(OAuthParams.fromBody({ scope: 'b a b' }, false).scopes()).toEqual(['b', 'a']);
  });

  it('accepts scope as an array only in JSON', () => {
    expect(OAuthParams.fromBody({ scope: ['x', 'y'] }, true).scopes()).toEqual(['x', 'y']);
    expect(() => OAuthParams.fromBody({ scope: ['x', 'y'] }, false)).toThrow(InvalidRequestError);
  });

  it('RFC 6749 §3.3: refuses scope tokens with spaces or quotes', () => {
    expect(() => OAuthParams.fromBody({ scope: ['a b'] }, true).scopes()).toThrow(InvalidScopeError);
    expect(() => OAuthParams.fromBody({ scope: 'a  b' }, false).scopes()).toThrow(InvalidScopeError);
    expect(() => OAuthParams.fromBody({ scope: 'a"b' }, false).scopes()).toThrow(InvalidScopeError);
  });

  it('an omitted or empty scope is undefined; empty parameters count as omitted (§3.1)', () => {
    const p = OAuthParams.fromBody({ scope: '', grant_type: '' }, false);
    expect(p.scopes()).toBeUndefined();
    expect(p.get('grant_type')).toBeUndefined();
    expect(() => p.require('grant_type')).toThrow(InvalidRequestError);
  });

  it('RFC 6749 §3.2: refuses repeated parameters, non-string values and non-object bodies', () => {
    expect(() => OAuthParams.fromBody({ grant_type: ['a', 'b'] }, false)).toThrow(InvalidRequestError);
    expect(() => OAuthParams.fromBody({ grant_type: 5 }, true)).toThrow(InvalidRequestError);
    expect(() => OAuthParams.fromBody('grant_type=x', false)).toThrow(InvalidRequestError);
    expect(() => OAuthParams.fromBody(null, true)).toThrow(InvalidRequestError);
  });

  it('renders RFC 6749 §5.2 bodies with no-store', () => {
    const r = new InvalidRequestError('nope').render();
    expect(r).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'nope' },
      headers: expect.objectContaining({ 'cache-control': 'no-store' }),
    });
  });
});
