import { startTestApp, TestApp } from './support/test-app';

describe('a known path with a wrong method: 405 with Allow (RFC 9110 §15.5.6)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['GET', '/oauth/token', 'POST'],
    ['GET', '/oauth/revoke', 'POST'],
    ['PUT', '/auth/login', 'POST'],
    ['DELETE', '/health', 'GET, HEAD'],
    ['POST', '/.well-known/oauth-authorization-server', 'GET, HEAD'],
  ])('%s %s answers 405, Allow: %s', async (method, path, allow) => {
    const res = await t.http.request(method, path);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.body).toMatchObject({ statusCode: 405, error: 'method_not_allowed' });
  });

  it('a path with parameters is matched too: PUT /devices/:id lists GET, PATCH and DELETE', async () => {
    const res = await t.http.request('PUT', '/devices/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(', ')).toEqual(expect.arrayContaining(['GET', 'DELETE']));
  });

  it('an unknown path stays a 404, and a right method is untouched', async () => {
    expect((await t.http.get('/no/such/path')).status).toBe(404);
    // A trailing slash leaves `/account/tokens/:id` with an empty id: no route, so 404, not 405.
    expect((await t.http.get('/account/tokens/')).status).toBe(404);
    expect((await t.http.request('PUT', '/devices/')).status).toBe(404);
    expect((await t.http.get('/health')).status).toBe(200);
  });
});
