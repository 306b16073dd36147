import * as path from 'node:path';
import { authorizeUrl, codeRequest, decide, redirectParams, registerClient } from './support/oauth-flow.fixture';
import { enrolTotp, passwordStep, submitTotp, totpCode, awayFromStepEdge } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { snapshotLines } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

const SNAPSHOT_FILE = path.join(__dirname, '__snapshots__', 'route-auth.e2e-spec.ts.snap');
const SNAPSHOT_NAME = 'route auth declarations (run with -u after adding routes; see docs/testing.md) matches the checked-in snapshot 1';
/** What a partial session may still do as a principal: sign out. (The second step's own routes are public.) */
const ALLOWED = new Set(['POST /auth/logout']);
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** `GET /account/tokens/:id  schemes=cookie scopes=- page` → the request to make, for every route that takes the cookie. */
function cookieRoutes(lines: string[]): { method: string; path: string; page: boolean; line: string }[] {
  return lines
    .map((line) => /^(\w+) (\S+) {2}schemes=(\S+) scopes=\S+( page)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[3].split(',').includes('cookie'))
    .map((m) => ({ method: m[1], path: m[2].replace(/:\w+/g, SOME_ID), page: m[4] !== undefined, line: m[0] }));
}

describe('MFA: the partial session is refused by every cookie-authenticated route (issue 25)', () => {
  let t: TestApp;
  let secret: string;
  let email: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '0', RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE: '0' });
    const u = await signedInUser(t);
    email = u.email;
    ({ secret } = await enrolTotp(t, u.cookie));
  });
  afterAll(() => t.close());

  it('across the whole route-auth snapshot: 403 sign_in_incomplete for every method, a 303 to the second step for every page', async () => {
    const lines = snapshotLines(SNAPSHOT_FILE, SNAPSHOT_NAME);
    expect(lines).toBeDefined();
    const routes = cookieRoutes(lines!).filter((r) => !ALLOWED.has(`${r.method} ${r.path}`));
    expect(routes.length).toBeGreaterThan(100);
    const { cookie } = await passwordStep(t, email);
    const leaks: string[] = [];
    for (const r of routes) {
      const json = await t.http.request(r.method, r.path, { cookie, json: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (json.status !== 403 || json.body?.error !== 'sign_in_incomplete')
        leaks.push(`${r.line} → ${json.status} ${json.text.slice(0, 120)}`);
      if (r.page && r.method === 'GET') {
        const page = await t.http.get(r.path, { cookie, headers: HTML });
        if (page.status !== 303 || page.headers.get('location') !== '/login/second-factor') leaks.push(`${r.line} (page) → ${page.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('authorization consent and device consent are refused until the second step, then work', async () => {
    const owner = await signedInUser(t);
    const client = await registerClient(t, owner.user);
    const { params } = codeRequest(client);
    const { cookie } = await passwordStep(t, email);
    const refused = await t.http.get(authorizeUrl(params), { cookie, headers: HTML });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/login/second-factor');
    const consent = await t.http.post('/oauth/consent', { cookie, json: { ...params, decision: 'approve' } });
    expect(consent.status).toBe(403);
    expect(consent.body.error).toBe('sign_in_incomplete');
    const device = await t.http.get('/device', { cookie, headers: HTML });
    expect(device.headers.get('location')).toBe('/login/second-factor');
    const deviceDecision = await t.http.post('/device/decision', { cookie, json: { userCode: 'BCDF-GHJK', decision: 'approve' } });
    expect(deviceDecision.status).toBe(403);
    expect(deviceDecision.body.error).toBe('sign_in_incomplete');

    await awayFromStepEdge();
    expect((await submitTotp(t, cookie, await totpCode(secret))).status).toBe(200);
    const page = await t.http.get(authorizeUrl(params), { cookie, headers: HTML });
    expect(page.status).toBe(200);
    const approved = await decide(t, cookie, page.text, 'approve');
    expect(approved.status).toBe(303);
    expect(redirectParams(approved).get('code')).toBeTruthy();
    expect((await t.http.get('/device', { cookie, headers: HTML })).status).toBe(200);
  });
});
