import { connect } from 'node:net';
import { basicAuth, createClient, TestClient } from './support/clients.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/**
 * One HTTP/1.1 request written to the socket as given: fetch folds repeated headers into one and
 * trims values, so the requests these tests send cannot be made with it.
 */
function rawRequest(t: TestApp, head: string, body = ''): Promise<RawResponse> {
  const url = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`${head}\r\nHost: ${url.host}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const split = out.indexOf('\r\n\r\n');
      resolve({ status: Number(out.split(' ', 2)[1]), headers: out.slice(0, split), body: out.slice(split + 4) });
    });
  });
}

/**
 * The Authorization header is read once, by the guard (or by the OAuth endpoints' client
 * authentication): a strategy never reads it differently, and a request that carries two
 * Authorization headers is refused rather than judged by whichever one Node kept.
 */
describe('Authorization header: one reading, one header', () => {
  let t: TestApp;
  let pat: string;
  let client: TestClient;

  beforeAll(async () => {
    t = await startTestApp();
    const user = await signedInUser(t);
    pat = (await createPat(t, user.cookie, ['read:device'])).token;
    client = await createClient(t, user.user, { scopes: ['read:device'], grantTypes: ['client_credentials'] });
  });
  afterAll(() => t.close());

  it('RFC 6750 §2.1 (credentials = "Bearer" 1*SP b64token): several spaces before the token still authenticate', async () => {
    for (const header of [`Bearer  ${pat}`, `bearer   ${pat}`]) {
      const res = await rawRequest(t, `GET /devices HTTP/1.1\r\nAccept: application/json\r\nAuthorization: ${header}`);
      expect([header, res.status]).toEqual([header, 200]);
    }
    const secret = await rawRequest(t, `GET /me HTTP/1.1\r\nAccept: application/json\r\nAuthorization: Secret   ${client.secret}`);
    expect(secret.status).toBe(200);
  });

  it('RFC 6750 §3.1: two Authorization headers are a 400 invalid_request, in either order, whatever the tokens', async () => {
    const unknown = `ghpat_${'A'.repeat(36)}`;
    for (const [first, second] of [
      [pat, unknown],
      [unknown, pat],
      [pat, pat],
    ]) {
      const res = await rawRequest(
        t,
        `GET /devices HTTP/1.1\r\nAccept: application/json\r\nAuthorization: Bearer ${first}\r\nAuthorization: Bearer ${second}`,
      );
      expect(res.status).toBe(400);
      expect(res.headers).toMatch(/www-authenticate: Bearer realm="gatehouse", error="invalid_request"/i);
      expect(JSON.parse(res.body)).toMatchObject({
        error: 'invalid_request',
        message: expect.stringContaining('more than one Authorization header'),
      });
    }
  });

  it('RFC 6749 §5.2: two Authorization headers at an OAuth endpoint are a 400 invalid_request body, not a client authenticated by one of them', async () => {
    const basic = basicAuth(client.clientId, client.secret!);
    const wrong = basicAuth(client.clientId, 'not-the-secret');
    const forms: Record<string, string> = {
      '/oauth/token': 'grant_type=client_credentials',
      '/oauth/introspect': `token=${pat}`,
      '/oauth/revoke': `token=${pat}`,
      '/oauth/device_authorization': 'scope=read%3Adevice',
    };
    for (const [path, form] of Object.entries(forms)) {
      for (const [first, second] of [
        [basic, wrong],
        [wrong, basic],
      ]) {
        const res = await rawRequest(
          t,
          `POST ${path} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: ${first}\r\nAuthorization: ${second}`,
          form,
        );
        expect([path, res.status]).toEqual([path, 400]);
        expect(JSON.parse(res.body)).toEqual({
          error: 'invalid_request',
          error_description: 'The request has more than one Authorization header',
        });
      }
    }
    // The one-header request still works (the refusal is about the duplicate, not Basic).
    const one = await rawRequest(
      t,
      `POST /oauth/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: ${basic}`,
      forms['/oauth/token'],
    );
    expect(one.status).toBe(200);
  });
});
