import { basicAuth, clientCredentialsToken, createClient } from './support/clients.fixture';
import { codeRequest, exchangeCode, obtainCode, refresh, registerClient, tokenRequest } from './support/oauth-flow.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';
import { captureStdout } from './support/log-capture';

/**
 * Issue 9 item 14: no credential Gatehouse issues reaches a log line, even at LOG_LEVEL=debug,
 * over a whole authorization-code flow (the code travels in a Location header and a query
 * string), a refresh, PAT use, client_credentials and introspection. And the access line is
 * short: method, route, status, duration, request id, principal; no headers.
 */
describe('logging hygiene over every flow (LOG_LEVEL=debug)', () => {
  let t: TestApp;
  let output: string[];
  let stdout: jest.SpyInstance;
  const issued: Record<string, string> = {};

  beforeAll(async () => {
    ({ output, stdout } = captureStdout());
    t = await startTestApp({ LOG_LEVEL: 'debug' });

    const owner = await signedInUser(t);
    const user = await signedInUser(t);
    issued.sessionCookie = user.cookie.split('=')[1];

    // Authorization code flow with a confidential client: code in the redirect, tokens in the body.
    const client = await registerClient(t, owner.user, { type: 'confidential' });
    issued.clientSecret = client.secret!;
    const { params, pkce } = codeRequest(client);
    issued.code = await obtainCode(t, user.cookie, params);
    issued.codeVerifier = pkce.verifier;
    const exchanged = await exchangeCode(t, client, issued.code, pkce.verifier);
    expect(exchanged.status).toBe(200);
    issued.codeFlowAccessToken = exchanged.body.access_token;
    issued.refreshToken = exchanged.body.refresh_token;
    const refreshed = await refresh(t, client, issued.refreshToken);
    expect(refreshed.status).toBe(200);
    issued.refreshedAccessToken = refreshed.body.access_token;
    issued.rotatedRefreshToken = refreshed.body.refresh_token;
    expect((await t.http.get('/me', { bearer: issued.refreshedAccessToken })).status).toBe(200);
    // A replayed code and a code in a query string of a page: refused, and still not logged.
    expect((await exchangeCode(t, client, issued.code, pkce.verifier)).status).toBe(400);
    await t.http.get(`/devices?code=${issued.code}&access_token=${issued.refreshedAccessToken}`, { cookie: user.cookie });
    await tokenRequest(t, client, { grant_type: 'refresh_token', refresh_token: `${issued.rotatedRefreshToken}x` });

    // PAT creation and use.
    const pat = await createPat(t, user.cookie, ['read:device']);
    issued.pat = pat.token;
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    // A careless client echoing its token as its request id: the id is replaced, not logged.
    const echoed = await t.http.get('/devices', { bearer: pat.token, headers: { 'x-request-id': pat.token } });
    expect(echoed.headers.get('x-request-id')).not.toBe(pat.token);

    // client_credentials and introspection.
    const machine = await createClient(t, owner.user, { grantTypes: ['client_credentials'], introspectionAllowed: true });
    issued.machineSecret = machine.secret!;
    issued.clientCredentialsToken = await clientCredentialsToken(t, machine);
    const introspected = await t.http.post('/oauth/introspect', {
      form: { token: issued.pat },
      headers: { authorization: basicAuth(machine.clientId, machine.secret!) },
    });
    expect(introspected.body.active).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  afterAll(async () => {
    await t.close();
    stdout.mockRestore();
  });

  const lines = () =>
    output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'));

  it('writes one access line per request (so the checks below see real output)', () => {
    const access = lines().filter((l) => l.includes('"request completed"'));
    expect(access.length).toBeGreaterThanOrEqual(12);
    expect(access.some((l) => l.includes('"path":"/oauth/authorize"'))).toBe(true);
    expect(access.some((l) => l.includes('"path":"/oauth/token"'))).toBe(true);
  });

  it('never writes any issued credential, in any line, at any level', () => {
    const text = output.join('');
    const leaked = Object.entries(issued)
      .filter(([, secret]) => secret && text.includes(secret))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/\b[a-z]{2,8}_[0-9A-Za-z]{36}\b/);
  });

  it('keeps the access line short: no headers, no query string', () => {
    for (const line of lines().filter((l) => l.includes('"request completed"'))) {
      const entry = JSON.parse(line) as Record<string, any>;
      expect(Object.keys(entry.req).sort()).toEqual(['id', 'method', 'path']);
      expect(entry.req.path).not.toContain('?');
      expect(entry).not.toHaveProperty('req.headers');
      expect(entry).not.toHaveProperty('res.headers');
      expect(line.length).toBeLessThan(400);
    }
  });
});
