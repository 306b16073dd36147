import { DevicesService } from '../../src/devices/devices.service';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

const BODY_LIMIT = 4096;

describe('errors and cross-cutting HTTP behaviour', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    ({ cookie } = await signedInUser(t));
  });
  afterAll(() => t.close());

  /** The one JSON error shape; the body's requestId is the X-Request-Id header. */
  function expectErrorShape(res: { status: number; headers: Headers; body: any }, status: number, error: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(
      expect.objectContaining({ statusCode: status, error, message: expect.any(String), requestId: res.headers.get('x-request-id') }),
    );
  }

  describe('bad requests are 4xx in the one JSON error shape, never 500', () => {
    it('malformed JSON → 400', async () => {
      const res = await t.http.post('/devices', { cookie, body: '{"name": ', headers: { 'content-type': 'application/json' } });
      expectErrorShape(res, 400, 'bad_request');
    });

    it('malformed JSON on a public endpoint → 400', async () => {
      const res = await t.http.post('/auth/login', { body: '{', headers: { 'content-type': 'application/json' }, origin: t.baseUrl });
      expectErrorShape(res, 400, 'bad_request');
    });

    it('a body over BODY_LIMIT_BYTES → 413', async () => {
      const res = await t.http.post('/devices', { cookie, json: { name: 'x'.repeat(BODY_LIMIT) } });
      expectErrorShape(res, 413, 'payload_too_large');
    });

    it('application/xml → 415', async () => {
      const res = await t.http.post('/devices', {
        cookie,
        body: '<device><name>x</name></device>',
        headers: { 'content-type': 'application/xml' },
      });
      expectErrorShape(res, 415, 'unsupported_media_type');
    });

    it('text/plain → 415 (no route reads plain text)', async () => {
      const res = await t.http.post('/devices', { cookie, body: '{"name":"x"}', headers: { 'content-type': 'text/plain' } });
      expectErrorShape(res, 415, 'unsupported_media_type');
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
    });

    it('JSON that is not an object (array, null, string, number) → 400', async () => {
      for (const body of ['[]', '[{"name":"x"}]', 'null', '"name"', '42']) {
        const res = await t.http.post('/devices', { cookie, body, headers: { 'content-type': 'application/json' } });
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.requestId).toEqual(expect.any(String));
      }
    });

    it('an object where a string belongs (operator injection) → 400', async () => {
      const res = await t.http.post('/devices', { cookie, json: { name: { $gt: '' } } });
      expectErrorShape(res, 400, 'validation_failed');
    });

    it('a __proto__ key → 400 (no prototype pollution)', async () => {
      const res = await t.http.post('/devices', {
        cookie,
        body: '{"name":"x","__proto__":{"admin":true}}',
        headers: { 'content-type': 'application/json' },
      });
      expectErrorShape(res, 400, 'bad_request');
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('a repeated query parameter → 400', async () => {
      for (const query of ['limit=1&limit=2', 'cursor=a&cursor=b']) {
        const res = await t.http.get(`/devices?${query}`, { cookie });
        expectErrorShape(res, 400, 'validation_failed');
      }
    });

    it('an unknown route → 404 in the same shape, with or without credentials', async () => {
      expectErrorShape(await t.http.get('/no/such/route'), 404, 'not_found');
      expectErrorShape(await t.http.post('/no/such/route', { cookie, json: {} }), 404, 'not_found');
    });

    it('an unknown page opened in a browser → an HTML 404 page with a way home; JSON clients keep JSON', async () => {
      const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
      const res = await t.http.get('/no/such/<page>?x=1', { headers: html });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain('data-testid="not-found"');
      expect(res.text).toContain('<a href="/">Go to the home page</a>');
      expect(res.text).toContain('<code>/no/such/%3Cpage%3E</code>'); // the path, never raw markup
      expect(res.text).not.toContain('x=1');
      expect(res.text).toContain('<title>Page not found · Gatehouse</title>');
      expect(res.text).not.toContain('data-testid="site-nav"'); // nobody signed in: no navigation
      // Signed in: the same page with the navigation and the sign-out form.
      const signedIn = await t.http.get('/no/such/route', { cookie, headers: html });
      expect(signedIn.headers.get('content-type')).toMatch(/^text\/html/);
      expect(signedIn.text).toContain('<title>Page not found · Gatehouse</title>');
      expect(signedIn.text).toContain('data-testid="site-nav"');
      expect(signedIn.text).toContain('data-testid="nav-user"');
      expect(signedIn.text).toContain('action="/auth/logout"');
      // A page route that answers 404 itself keeps its navigation too.
      const missingClient = await t.http.get('/account/clients/no-such-client', { cookie, headers: html });
      expect(missingClient.status).toBe(404);
      expect(missingClient.text).toContain('data-testid="site-nav"');
      expectErrorShape(await t.http.get('/no/such/route', { headers: { accept: 'application/json' } }), 404, 'not_found');
      expectErrorShape(await t.http.get('/no/such/route', { headers: { accept: '*/*' } }), 404, 'not_found');
    });

    it('an unsupported method on a known path → 4xx in the same shape', async () => {
      const res = await t.http.request('PUT', '/devices', { cookie, json: { name: 'x' } });
      expect([404, 405]).toContain(res.status);
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
    });
  });

  describe('unexpected errors', () => {
    it('→ 500 with the request id and nothing of the error itself', async () => {
      const spy = jest
        .spyOn(t.get<DevicesService>(DevicesService), 'listVisible')
        .mockRejectedValueOnce(new Error('kaboom: internal detail'));
      try {
        const res = await t.http.get('/devices', { cookie, headers: { 'x-request-id': 'trace-500-test' } });
        expectErrorShape(res, 500, 'internal_error');
        expect(res.body.requestId).toBe('trace-500-test');
        expect(res.text).not.toContain('kaboom');
        expect(res.text).not.toMatch(/at .*\.ts:\d+/);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('X-Request-Id', () => {
    it('is echoed when the client sends a well-formed one', async () => {
      const res = await t.http.get('/no/such/route', { headers: { 'x-request-id': 'client-abc.123_X' } });
      expect(res.headers.get('x-request-id')).toBe('client-abc.123_X');
      expect(res.body.requestId).toBe('client-abc.123_X');
    });

    it('is generated when absent, and on successful responses too', async () => {
      const res = await t.http.get('/health');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('is replaced when the client sends a malformed one (no log injection)', async () => {
      for (const bad of ['a b', 'x'.repeat(65), '<script>', 'line\\nbreak']) {
        const res = await t.http.get('/health', { headers: { 'x-request-id': bad } });
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('differs between requests', async () => {
      const a = await t.http.get('/health');
      const b = await t.http.get('/health');
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    });
  });

  describe('Cache-Control: no-store on responses that carry credentials', () => {
    it('RFC 6750 §3.1 401 challenges', async () => {
      expect((await t.http.get('/devices')).headers.get('cache-control')).toBe('no-store');
      expect((await t.http.get('/devices', { bearer: 'garbage' })).headers.get('cache-control')).toBe('no-store');
    });

    it('403 responses', async () => {
      const viewer = await signedInUser(t, { roles: ['viewer'] });
      const res = await t.http.post('/devices', { cookie: viewer.cookie, json: { name: 'x' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('authenticated JSON: /account/sessions and the device API', async () => {
      for (const path of ['/account/sessions', '/devices']) {
        const res = await t.http.get(path, { cookie });
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('the sign-in endpoint, whatever the outcome', async () => {
      const bad = await t.http.post('/auth/login', { json: { email: 'nobody@example.test' }, origin: t.baseUrl });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('cache-control')).toBe('no-store');
    });

    it('authenticated HTML pages', async () => {
      const res = await t.http.get('/account', { cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('but not public static assets', async () => {
      const res = await t.http.get('/static/style.css');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).not.toContain('no-store');
    });
  });

  describe('security headers', () => {
    it('HTML pages carry a CSP and the hardening headers', async () => {
      for (const res of [await t.http.get('/login'), await t.http.get('/account', { cookie })]) {
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("style-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).toContain("base-uri 'none'");
        expect(csp).toContain("form-action 'self'");
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      }
    });

    it('JSON responses carry nosniff too', async () => {
      const res = await t.http.get('/devices', { cookie });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});
