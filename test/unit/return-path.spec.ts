import { safeReturnPath } from '../../src/sessions/return-path';

describe('safeReturnPath (no open redirect after sign-in)', () => {
  it.each(['/account', '/account/sessions?x=1', '/oauth/authorize?client_id=a&redirect_uri=https%3A%2F%2Fx'])('keeps the same-site path %s', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    ['protocol-relative', '//evil.example/x'],
    ['backslash trick', '/\\evil.example'],
    ['absolute URL', 'https://evil.example/'],
    ['javascript URL', 'javascript:alert(1)'],
    ['relative path', 'account'],
    ['empty', ''],
  ])('falls back for a %s (%s)', (_, next) => {
    expect(safeReturnPath(next)).toBe('/account');
  });

  it('falls back for non-strings and uses the given fallback', () => {
    expect(safeReturnPath(undefined)).toBe('/account');
    expect(safeReturnPath(['/a'])).toBe('/account');
    expect(safeReturnPath(42, '/home')).toBe('/home');
  });
});
