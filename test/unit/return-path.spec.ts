import { safeReturnPath } from '../../src/sign-in/return-path';

const PUBLIC_URL = 'https://id.example.com';

describe('safeReturnPath (RFC 9700 §4.11: no open redirect after sign-in)', () => {
  it.each(['/account', '/account/sessions?x=1', '/oauth/authorize?client_id=a&redirect_uri=https%3A%2F%2Fx', '/a#frag'])(
    'keeps the same-origin path %s',
    (path) => {
      expect(safeReturnPath(path, PUBLIC_URL)).toBe(path);
    },
  );

  it('accepts an absolute URL on PUBLIC_URL’s origin, as its path', () => {
    expect(safeReturnPath('https://id.example.com/account/tokens?x=1', PUBLIC_URL)).toBe('/account/tokens?x=1');
  });

  it('returns what it checked: the resolved, normalised path', () => {
    expect(safeReturnPath('/a/../account', PUBLIC_URL)).toBe('/account');
    expect(safeReturnPath('/café', PUBLIC_URL)).toBe('/caf%C3%A9');
  });

  it.each([
    ['protocol-relative', '//evil.example/x'],
    ['tab then slash (browsers drop the tab)', '/\t/evil.example/'],
    ['newline', '/\n/evil.example/'],
    ['carriage return', '/account\r\nSet-Cookie: x=1'],
    ['NUL', '/account\u0000'],
    ['DEL', '/\u007f/evil.example'],
    ['C1 control', '/\u0085/evil.example'],
    ['backslash trick', '/\\evil.example'],
    ['backslash later on', '/account\\..\\..\\evil'],
    ['absolute URL elsewhere', 'https://evil.example/'],
    ['same host, other scheme', 'http://id.example.com/account'],
    ['same origin with credentials', 'https://user:pw@id.example.com/account'],
    ['javascript URL', 'javascript:alert(1)'],
    ['data URL', 'data:text/html,x'],
    ['empty', ''],
  ])('falls back for a %s (%j)', (_, next) => {
    expect(safeReturnPath(next, PUBLIC_URL)).toBe('/account');
  });

  it('falls back for non-strings and uses the given fallback', () => {
    expect(safeReturnPath(undefined, PUBLIC_URL)).toBe('/account');
    expect(safeReturnPath(['/a'], PUBLIC_URL)).toBe('/account');
    expect(safeReturnPath(42, PUBLIC_URL, '/home')).toBe('/home');
  });
});
