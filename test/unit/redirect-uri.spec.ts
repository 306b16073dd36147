import { matchesRegisteredRedirectUri, redirectUriProblem } from '../../src/clients/redirect-uri';

describe('redirectUriProblem (RFC 6749 §3.1.2, RFC 8252 §7.3, RFC 9700 §2.1)', () => {
  it.each([
    'https://app.example.com/cb',
    'https://app.example.com:8443/cb?x=1',
    'http://127.0.0.1:5000/cb',
    'http://[::1]/cb',
    'http://localhost/cb',
  ])('accepts %s', (uri) => expect(redirectUriProblem(uri)).toBeNull());

  it.each([
    ['', /characters/],
    ['/relative', /absolute/],
    ['https://app.example.com/cb#x', /fragment/],
    ['https://app.example.com/cb#', /fragment/],
    ['http://app.example.com/cb', /https/],
    ['http://127.0.0.2.example.com/cb', /https/],
    ['myapp://cb', /https/],
    ['https://u:p@app.example.com/cb', /credentials/],
    ['https://app.example.com/a b', /whitespace/],
    [`https://app.example.com/${'a'.repeat(2001)}`, /characters/],
  ])('refuses %s', (uri, why) => expect(redirectUriProblem(uri)).toMatch(why));
});

describe('matchesRegisteredRedirectUri (RFC 9700 §2.1, RFC 8252 §7.3)', () => {
  const registered = ['https://app.example.com/cb', 'http://127.0.0.1:50123/oauth/cb', 'http://[::1]/oauth/cb'];
  it.each([
    'https://app.example.com/cb',
    'http://127.0.0.1:50123/oauth/cb',
    'http://127.0.0.1:1/oauth/cb',
    'http://127.0.0.1/oauth/cb',
    'http://[::1]:65535/oauth/cb',
  ])('matches %s', (uri) => expect(matchesRegisteredRedirectUri(uri, registered)).toBe(true));
  it.each([
    'https://app.example.com:8443/cb',
    'http://localhost:50123/oauth/cb',
    'http://127.0.0.1:65536/oauth/cb',
    'http://127.0.0.1:0/oauth/cb',
    'http://127.0.0.1:50123/oauth/cb#x',
    'http://127.0.0.1.nip.io:50123/oauth/cb',
    'http://a@127.0.0.1:50123/oauth/cb',
    'http://[::1]:50123/oauth/cb/',
    'http://[0:0:0:0:0:0:0:1]:50123/oauth/cb',
    'http://127.0.0.1:50123/oauth/cb?',
  ])('does not match %s', (uri) => expect(matchesRegisteredRedirectUri(uri, registered)).toBe(false));
});
