import { controllersOf, routesOf } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  security?: Record<string, string[]>[];
  'x-required-scopes'?: string[];
}

/** `/devices/:id` → `/devices/{id}`, the OpenAPI path template. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI: /docs and /docs-json', () => {
  let t: TestApp;
  let doc: { components: { securitySchemes: Record<string, Record<string, string>> }; paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(() => t.close());

  it('declares the three security schemes: bearer, secret, cookie', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.secret).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(schemes.cookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: '__Host-gatehouse_session' });
  });

  it('gives GET /devices its schemes and x-required-scopes', () => {
    const op = doc.paths['/devices'].get;
    expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }, { cookie: [] }, { secret: [] }]));
    expect(op.security).toHaveLength(3);
    expect(op['x-required-scopes']).toEqual(['read:device']);
    expect(doc.paths['/devices'].post['x-required-scopes']).toEqual(['write:device']);
  });

  it('documents every guarded route with exactly the schemes and scopes the guard enforces', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const r of routesOf(controllersOf(t.app))) {
      const op = doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
      if (!op || !r.auth) continue; // excluded from the document (pages), or caught by route-auth.e2e-spec
      checked++;
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s)).sort();
      const expected = r.auth.public
        ? { schemes: [], scopes: undefined }
        : { schemes: [...r.auth.schemes].sort(), scopes: [...r.auth.scopes] };
      const actual = { schemes, scopes: op['x-required-scopes'] };
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        mismatches.push(`${r.method} ${r.path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
    }
    expect(checked).toBeGreaterThan(8);
    expect(mismatches).toEqual([]);
  });

  it('documents bots and impersonation: cookie-only bot management with manage:bots, act and user_kind in introspection', () => {
    const mint = doc.paths['/account/bots/{id}/tokens'].post;
    expect(mint.security).toEqual([{ cookie: [] }]);
    expect(mint['x-required-scopes']).toEqual(['manage:bots']);
    expect(doc.paths['/admin/impersonations'].post['x-required-scopes']).toEqual(['admin', 'impersonate']);
    const schemas = (doc.components as unknown as { schemas: Record<string, { properties: Record<string, unknown> }> }).schemas;
    expect(Object.keys(schemas.IntrospectionResponse.properties)).toEqual(expect.arrayContaining(['act', 'user_kind']));
    expect(Object.keys(schemas.CreatedBotTokenView.properties)).toContain('token');
  });

  it('leaves public operations without security requirements', () => {
    expect(doc.paths['/auth/login'].post.security).toBeUndefined();
    expect(doc.paths['/health'].get.security).toBeUndefined();
  });

  it('serves the UI at /docs with a CSP it can live with: own scripts only, inline styles allowed there alone', async () => {
    const res = await t.http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");

    // Every script is a same-origin file (script-src 'self' allows it); none is inline.
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attrs)?.[1];
      expect(src).toBeDefined();
      const url = new URL(src!, `${t.baseUrl}/docs`);
      expect(url.origin).toBe(new URL(t.baseUrl).origin);
      expect((await t.http.get(url.pathname)).status).toBe(200);
    }
  });

  it('does not relax the CSP anywhere else', async () => {
    for (const path of ['/login', '/docs-json', '/documents']) {
      const csp = (await t.http.get(path)).headers.get('content-security-policy') ?? '';
      expect({ path, inline: csp.includes('unsafe-inline') }).toEqual({ path, inline: false });
    }
  });

  describe('issue 15: the OAuth endpoints and the Bearer scheme', () => {
    type Body = { content: Record<string, { schema: { $ref?: string } }> };
    type Op = {
      requestBody?: Body;
      responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
      parameters?: { name: string }[];
    };
    const op = (path: string, method: string) => (doc.paths[path] as unknown as Record<string, Op>)[method];
    const schemaName = (ref?: string) => ref?.split('/').pop();

    it('the Bearer scheme does not claim JWT: most tokens are opaque', () => {
      expect(doc.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
      expect(doc.components.securitySchemes.bearer.bearerFormat).toContain('ghat_');
    });

    it.each([
      ['/oauth/token', 'TokenRequestBody', 'TokenResponseBody', ['200', '400', '401', '429']],
      ['/oauth/revoke', 'RevocationRequestBody', undefined, ['200', '400', '401']],
      ['/oauth/introspect', 'IntrospectionRequestBody', 'IntrospectionResponse', ['200', '400', '401']],
    ])('POST %s: form and JSON bodies (%s) and every response', (path, body, ok, statuses) => {
      const o = op(path, 'post');
      expect(Object.keys(o.requestBody!.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
      for (const media of Object.values(o.requestBody!.content)) expect(schemaName(media.schema.$ref)).toBe(body);
      expect(Object.keys(o.responses)).toEqual(expect.arrayContaining(statuses));
      if (ok) expect(schemaName(Object.values(o.responses['200'].content!)[0].schema.$ref)).toBe(ok);
      expect(schemaName(Object.values(o.responses['400'].content!)[0].schema.$ref)).toBe('OAuthErrorBody');
    });

    it('lists GET /oauth/authorize with its query parameters and responses (RFC 6749 §4.1.1)', () => {
      const o = op('/oauth/authorize', 'get');
      expect(o.parameters!.map((p) => p.name)).toEqual(
        expect.arrayContaining(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']),
      );
      expect(Object.keys(o.responses)).toEqual(expect.arrayContaining(['200', '302', '303', '400']));
    });
  });
});
