import { redirectUriProblem } from '../../src/clients/redirect-uri';

describe('redirectUriProblem (RFC 6749 §3.1.2, RFC 8252 §7.3, RFC 9700 §2.1)', () => {
  it.each(['https://app.example.com/cb', 'https://app.example.com:8443/cb?x=1', 'http://127.0.0.1:5000/cb', 'http://[::1]/cb', 'http://localhost/cb'])(
    'accepts %s',
    (uri) => expect(redirectUriProblem(uri)).toBeNull(),
  );

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
