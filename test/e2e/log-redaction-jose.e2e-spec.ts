import { redactSecrets } from '../../src/logging';
import { startTestApp, TestApp } from './support/test-app';
import { captureStdout } from './support/log-capture';

/**
 * JWT access tokens (RFC 9068) and sealed cookies (JWE) are credentials too, but they are not
 * `<prefix>_<36 base62>`: the token-shape rule missed them. A careless client that puts one in a
 * path (`/v1/eyJ…`) or under a query parameter the rule does not name (`?assertion=eyJ…`) must
 * not get it into the access line or any other log line.
 */
describe('log redaction of JOSE-shaped credentials (JWS, JWE)', () => {
  let t: TestApp;
  let output: string[];
  let stdout: jest.SpyInstance;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jws = `${b64({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })}.${b64({ sub: 'u1', jti: 'abc', scope: 'read:device' })}.${'s'.repeat(86)}`;
  const jwe = `${b64({ alg: 'dir', enc: 'A256GCM', kid: 'x' })}..${'i'.repeat(16)}.${'c'.repeat(40)}.${'t'.repeat(22)}`;

  beforeAll(async () => {
    ({ output, stdout } = captureStdout());
    t = await startTestApp({ LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await t.close();
    stdout.mockRestore();
  });

  it('RFC 6750 §5.3: a JWT or JWE in an unmatched path or an unnamed query parameter never reaches a log line', async () => {
    await t.http.get(`/v1/${jws}`);
    await t.http.get(`/nope/${jwe}/x`);
    await t.http.get(`/nope?assertion=${jws}`);
    await new Promise((r) => setTimeout(r, 50));
    const log = output.join('');
    expect(log).toContain('/v1/');
    for (const secret of [jws, jwe, jws.split('.')[1], jwe.split('.')[3]]) expect(log).not.toContain(secret);
  });

  it('redactSecrets masks JWS and JWE compact serialisations but leaves other dotted text alone', () => {
    expect(redactSecrets(`Bearer ${jws} and ${jwe}`)).toBe('Bearer [redacted-jwt] and [redacted-jwt]');
    expect(redactSecrets('version 1.2.3, example.com/a.b')).toBe('version 1.2.3, example.com/a.b');
  });
});
