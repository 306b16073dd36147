import { AuditEvent } from '../../src/audit/audit-event.entity';
import { signedInAdmin } from './support/admin.fixture';
import { registerClient, type TestClient } from './support/oauth-flow.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser, type TestUser } from './support/users.fixture';

/**
 * A client's OpenID Connect registration (issue 24; Dynamic Client Registration 1.0 §2 fields):
 * post_logout_redirect_uris, backchannel_logout_uri (+ session_required),
 * id_token_signed_response_alg and subject_type, through the developer API, the admin API and both
 * pages, checked like redirect URIs.
 */
describe('OIDC client registration (Registration §2 fields; RP-Initiated Logout §3.1; Back-Channel Logout §2.2)', () => {
  let t: TestApp;
  let owner: TestUser & { cookie: string };
  let admin: TestUser & { cookie: string };
  let client: TestClient;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signedInUser(t);
    admin = await signedInAdmin(t);
    client = await registerClient(t, owner.user, { scopes: ['openid', 'profile'], name: 'Registered RP' });
  });
  afterAll(() => t.close());

  const devPath = () => `/developer/clients/${client.clientId}/oidc`;

  it('defaults: no post-logout URIs, no back-channel logout, ES256, public subjects', async () => {
    const res = await t.http.get(devPath(), { cookie: owner.cookie });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      clientId: client.clientId,
      postLogoutRedirectUris: [],
      backchannelLogoutUri: null,
      backchannelLogoutSessionRequired: false,
      idTokenSignedResponseAlg: 'ES256',
      subjectType: 'public',
    });
  });

  it('the owner sets every field through the developer API; the change is audited with before and after', async () => {
    const res = await t.http.patch(devPath(), {
      cookie: owner.cookie,
      json: {
        postLogoutRedirectUris: ['https://rp.example.test/bye', 'http://127.0.0.1:8080/bye'],
        backchannelLogoutUri: 'https://rp.example.test/backchannel?x=1',
        backchannelLogoutSessionRequired: true,
        idTokenSignedResponseAlg: 'RS256',
        subjectType: 'public',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      postLogoutRedirectUris: ['https://rp.example.test/bye', 'http://127.0.0.1:8080/bye'],
      backchannelLogoutUri: 'https://rp.example.test/backchannel?x=1',
      backchannelLogoutSessionRequired: true,
      idTokenSignedResponseAlg: 'RS256',
    });
    // A partial patch keeps the other fields; null removes the back-channel URI.
    const partial = await t.http.patch(devPath(), { cookie: owner.cookie, json: { backchannelLogoutUri: null } });
    expect(partial.status).toBe(200);
    expect(partial.body.backchannelLogoutUri).toBeNull();
    expect(partial.body.idTokenSignedResponseAlg).toBe('RS256');
    const events = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'client.oidc_update', targetId: client.clientId });
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses bad input with a 400 naming the problem (like redirect URIs: https or loopback http, no fragment)', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { postLogoutRedirectUris: ['http://rp.example.test/bye'] },
        /post-logout redirect URI .*http:\/\/rp.example.test\/bye.* must use https/,
      ],
      [{ postLogoutRedirectUris: ['https://rp.example.test/bye#frag'] }, /fragment/],
      [{ postLogoutRedirectUris: ['not a uri'] }, /whitespace|absolute/],
      [{ postLogoutRedirectUris: 'https://rp.example.test/bye' }, /postLogoutRedirectUris/],
      [{ postLogoutRedirectUris: null }, /postLogoutRedirectUris/],
      [{ backchannelLogoutUri: 'javascript:alert(1)' }, /back-channel logout URI .* must use https/],
      [{ backchannelLogoutUri: 'https://user:pw@rp.example.test/bc' }, /credentials/],
      [{ backchannelLogoutSessionRequired: 'yes' }, /backchannelLogoutSessionRequired/],
      [{ idTokenSignedResponseAlg: 'none' }, /idTokenSignedResponseAlg must be one of ES256, RS256/],
      [{ idTokenSignedResponseAlg: 'HS256' }, /idTokenSignedResponseAlg/],
      [{ subjectType: 'pairwise' }, /pairwise subject identifiers are not offered/],
      [{ unknownField: 1 }, /unknownField/],
    ];
    const wrong: string[] = [];
    for (const [json, message] of cases) {
      const res = await t.http.patch(devPath(), { cookie: owner.cookie, json });
      if (res.status !== 400 || !message.test(res.text)) wrong.push(`${JSON.stringify(json)}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('another user’s client is a 404 to read and to edit', async () => {
    const other = await signedInUser(t);
    expect((await t.http.get(devPath(), { cookie: other.cookie })).status).toBe(404);
    expect((await t.http.patch(devPath(), { cookie: other.cookie, json: { idTokenSignedResponseAlg: 'ES256' } })).status).toBe(404);
  });

  it('administrators read and edit any client’s settings at /admin/clients/:clientId/oidc', async () => {
    const path = `/admin/clients/${client.clientId}/oidc`;
    expect((await t.http.get(path, { cookie: owner.cookie })).status).toBe(403);
    const res = await t.http.patch(path, { cookie: admin.cookie, json: { postLogoutRedirectUris: ['https://rp.example.test/admin-set'] } });
    expect(res.status).toBe(200);
    expect((await t.http.get(path, { cookie: admin.cookie })).body.postLogoutRedirectUris).toEqual(['https://rp.example.test/admin-set']);
    expect((await t.http.get('/admin/clients/no-such-client/oidc', { cookie: admin.cookie })).status).toBe(404);
  });

  it('the developer page and the admin page edit the same settings; a refusal re-shows the form with the reason', async () => {
    for (const [base, cookie] of [
      [`/account/clients/${client.clientId}`, owner.cookie],
      [`/admin/ui/clients/${client.clientId}`, admin.cookie],
    ] as const) {
      const clientPage = await t.http.get(base, { cookie });
      expect(clientPage.text).toContain(`${base}/oidc`);
      const page = await t.http.get(`${base}/oidc`, { cookie });
      expect(page.status).toBe(200);
      const _csrf = csrfFromPage(page.text);
      const saved = await t.http.post(`${base}/oidc`, {
        cookie,
        form: {
          _csrf,
          postLogoutRedirectUris: 'https://rp.example.test/one\r\nhttps://rp.example.test/two\r\n',
          backchannelLogoutUri: 'https://rp.example.test/bc',
          idTokenSignedResponseAlg: 'ES256',
        },
      });
      expect(saved.status).toBe(303);
      const api = await t.http.get(devPath(), { cookie: owner.cookie });
      expect(api.body).toMatchObject({
        postLogoutRedirectUris: ['https://rp.example.test/one', 'https://rp.example.test/two'],
        backchannelLogoutUri: 'https://rp.example.test/bc',
        backchannelLogoutSessionRequired: false,
        idTokenSignedResponseAlg: 'ES256',
      });
      const refused = await t.http.post(`${base}/oidc`, {
        cookie,
        form: { _csrf, postLogoutRedirectUris: 'http://evil.example.test/', idTokenSignedResponseAlg: 'ES256' },
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('must use https');
      expect(refused.text).toContain('http://evil.example.test/');
    }
  });
});
