import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';
import { basicAuth, createClient } from './support/clients.fixture';
import type { RequestOptions } from './support/http-client';

/**
 * Odd and hostile input across every module: arrays where strings are expected, nested
 * objects, repeated parameters, broken encodings, out-of-range numbers. None may reach a 5xx.
 */
it('answers malformed input anywhere with a 4xx (or a normal answer), never a 5xx', async () => {
  const t: TestApp = await startTestApp();
  const u = await signedInUser(t, { roles: ['admin'] });
  const c = await createClient(t, u.user, { type: 'confidential' });
  const bad: string[] = [];
  const hdr = { authorization: basicAuth(c.clientId, c.secret!) };
  const cases: [string, string, RequestOptions][] = [
    ['GET', '/devices?limit=1&limit=2', {}],
    ['GET', '/devices?cursor[a]=1', {}],
    ['GET', '/devices?cursor=%00%ff', {}],
    ['PATCH', '/devices/00000000-0000-4000-8000-000000000000', { json: null }],
    ['POST', '/devices', { json: [] }],
    ['POST', '/devices', { json: { name: { a: 1 } } }],
    ['POST', '/oauth/token', { json: [1, 2], headers: hdr }],
    ['POST', '/oauth/token', { json: { grant_type: ['a'] }, headers: hdr }],
    ['POST', '/oauth/token', { json: { grant_type: 'client_credentials', scope: [1, { a: 2 }] }, headers: hdr }],
    ['POST', '/oauth/token', { form: { grant_type: 'authorization_code', code: 'x' }, headers: hdr }],
    ['POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'ghrt_' + 'a'.repeat(36) }, headers: hdr }],
    ['POST', '/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: 'Basic %%%' } }],
    ['POST', '/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: 'Basic ' + Buffer.from('a:b:c').toString('base64') } }],
    ['POST', '/oauth/introspect', { form: { token: ['a', 'b'] }, headers: hdr }],
    ['POST', '/oauth/revoke', { json: { token: { x: 1 } }, headers: hdr }],
    ['GET', '/oauth/authorize?client_id=a&client_id=b&response_type=code', { cookie: u.cookie }],
    ['GET', '/oauth/authorize?client_id[x]=1', { cookie: u.cookie }],
    ['GET', '/oauth/authorize?redirect_uri=%E0%A4%A', { cookie: u.cookie }],
    ['POST', '/oauth/consent', { cookie: u.cookie, form: { client_id: 'x' } }],
    ['GET', '/admin/audit-events?from=2026-W01', { cookie: u.cookie }],
    ['GET', '/admin/audit-events?limit=abc&cursor=zzz', { cookie: u.cookie }],
    ['GET', '/admin/users?q[a]=1', { cookie: u.cookie }],
    ['GET', '/admin/users/not-a-uuid', { cookie: u.cookie }],
    ['POST', '/admin/users', { cookie: u.cookie, json: { email: 'x@y.z', roles: ['nope'] } }],
    ['POST', '/account/tokens', { cookie: u.cookie, json: { name: 'x', scopes: 'read:device' } }],
    ['POST', '/account/tokens', { cookie: u.cookie, json: { name: 'x', scopes: ['read:device'], expiresInDays: 1e12 } }],
    ['POST', '/developer/clients', { cookie: u.cookie, json: { name: 'x', redirectUris: ['javascript:alert(1)'] } }],
    ['POST', '/developer/clients', { cookie: u.cookie, json: { name: 'x', redirectUris: 'http://localhost/cb' } }],
    ['GET', '/devices/00000000-0000-4000-8000-000000000000/samples?from=2026-13-45T00:00:00Z', { cookie: u.cookie }],
    ['POST', '/auth/login', { json: { email: 'a@b.c', password: 'x'.repeat(2000) }, origin: t.baseUrl }],
    ['GET', '/login?next[a]=1', {}],
    ['GET', '/account/authorizations', { cookie: u.cookie, headers: { accept: 'application/json' } }],
    ['DELETE', '/account/authorizations/%00', { cookie: u.cookie }],
    ['GET', '/.well-known/oauth-authorization-server', {}],
  ];
  for (const [m, p, o] of cases) {
    const r = await t.http.request(m, p, o);
    if (r.status >= 500) bad.push(`${m} ${p} -> ${r.status} ${r.text.slice(0, 200)}`);
  }
  await t.close();
  expect(bad).toEqual([]);
  expect(cases.length).toBeGreaterThan(30);
});
