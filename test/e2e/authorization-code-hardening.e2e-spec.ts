import { AuditEvent } from '../../src/audit/audit-event.entity';
import {
  authorizeAndApprove,
  authorizeUrl,
  codeRequest,
  consentFields,
  exchangeCode,
  obtainCode,
  pkcePair,
  redirectParams,
  registerClient,
  tokenRequest,
  userAndClient,
} from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

/** Items 1, 3 and 6 of issue 9: redirect URIs, parameter limits and code replay in the code flow. */
describe('authorization code flow hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TOKEN_RATE_LIMIT_PER_IP: '100000', TOKEN_RATE_LIMIT_PER_CLIENT: '100000' });
  });
  afterAll(() => t.close());

  const expectErrorPage = (res: { status: number; headers: Headers }) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  };

  describe('RFC 8252 §7.3 / RFC 9700 §2.1: loopback redirect URIs on any port', () => {
    const REGISTERED_V4 = 'http://127.0.0.1:50123/oauth/cb';
    const REGISTERED_V6 = 'http://[::1]:50123/oauth/cb';

    it('RFC 8252 §7.3: 127.0.0.1 on another port is accepted; the code goes there and redeems only with that very URI (RFC 6749 §4.1.3)', async () => {
      const { user, client } = await userAndClient(t, { redirectUris: [REGISTERED_V4] });
      const used = 'http://127.0.0.1:61777/oauth/cb';
      const { params, pkce } = codeRequest(client, { redirect_uri: used });
      const res = await authorizeAndApprove(t, user.cookie, params);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')!.startsWith(`${used}?`)).toBe(true);
      const code = redirectParams(res).get('code')!;

      const withRegistered = await exchangeCode(t, client, code, pkce.verifier, REGISTERED_V4);
      expect([withRegistered.status, withRegistered.body.error]).toEqual([400, 'invalid_grant']);
      const { params: p2, pkce: k2 } = codeRequest(client, { redirect_uri: used });
      const code2 = await obtainCode(t, user.cookie, p2);
      const ok = await exchangeCode(t, client, code2, k2.verifier, used);
      expect(ok.status).toBe(200);
    });

    it('RFC 8252 §7.3: [::1] on another port is accepted', async () => {
      const { user, client } = await userAndClient(t, { redirectUris: [REGISTERED_V6] });
      const used = 'http://[::1]:4000/oauth/cb';
      const { params, pkce } = codeRequest(client, { redirect_uri: used });
      const code = await obtainCode(t, user.cookie, params);
      expect((await exchangeCode(t, client, code, pkce.verifier, used)).status).toBe(200);
    });

    it.each([
      ['localhost', 'http://localhost:61777/oauth/cb'],
      ['user-info', 'http://user@127.0.0.1:61777/oauth/cb'],
      ['another loopback address', 'http://127.0.0.2:61777/oauth/cb'],
      ['the other loopback IP', 'http://[::1]:61777/oauth/cb'],
      ['an upper-case scheme', 'HTTP://127.0.0.1:61777/oauth/cb'],
      ['https', 'https://127.0.0.1:61777/oauth/cb'],
      ['a path in another case', 'http://127.0.0.1:61777/OAuth/cb'],
      ['a trailing slash', 'http://127.0.0.1:61777/oauth/cb/'],
      ['an added query', 'http://127.0.0.1:61777/oauth/cb?x=1'],
      ['a port out of range', 'http://127.0.0.1:99999/oauth/cb'],
      ['a port with a leading zero', 'http://127.0.0.1:061777/oauth/cb'],
    ])('RFC 8252 §7.3: only the port may differ: %s is refused with an error page', async (_, uri) => {
      const { user, client } = await userAndClient(t, { redirectUris: [REGISTERED_V4] });
      expectErrorPage(await t.http.get(authorizeUrl(codeRequest(client, { redirect_uri: uri }).params), { cookie: user.cookie }));
    });

    it('RFC 8252 §8.3: a registered localhost URI matches exactly only (no port variants for host names)', async () => {
      const { user, client } = await userAndClient(t, { redirectUris: ['http://localhost:50123/oauth/cb'] });
      expectErrorPage(
        await t.http.get(authorizeUrl(codeRequest(client, { redirect_uri: 'http://localhost:61777/oauth/cb' }).params), {
          cookie: user.cookie,
        }),
      );
    });
  });

  describe('RFC 6749 §4.1.2.1: one validator owns the parameter limits, at /oauth/authorize and at the consent post', () => {
    it('a state over 2,000 characters is an invalid_request redirect at /oauth/authorize (the state is not echoed)', async () => {
      const { user, client } = await userAndClient(t);
      const res = await t.http.get(authorizeUrl(codeRequest(client, { state: 's'.repeat(2001) }).params), { cookie: user.cookie });
      expect(res.status).toBe(302);
      const q = redirectParams(res);
      expect(q.get('error')).toBe('invalid_request');
      expect(q.get('error_description')).toMatch(/state/);
      expect(q.has('state')).toBe(false);
      expect(q.has('code')).toBe(false);
    });

    it.each([
      ['scope', 'read:device '.repeat(100).trim()],
      ['code_challenge', 'a'.repeat(129)],
      ['code_challenge_method', 'S'.repeat(17)],
      ['response_type', 'c'.repeat(33)],
    ])('%s over its limit is an invalid_request redirect at /oauth/authorize', async (name, value) => {
      const { user, client } = await userAndClient(t);
      const { params, state } = codeRequest(client, { [name]: value });
      const res = await t.http.get(authorizeUrl(params), { cookie: user.cookie });
      expect(res.status).toBe(302);
      const q = redirectParams(res);
      expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', state]);
      expect(q.get('error_description')).toContain(name);
    });

    it('a state of exactly 2,000 characters goes through consent and comes back', async () => {
      const { user, client } = await userAndClient(t);
      const state = 's'.repeat(2000);
      const res = await authorizeAndApprove(t, user.cookie, codeRequest(client, { state }).params);
      expect(res.status).toBe(303);
      expect(redirectParams(res).get('state')).toBe(state);
      expect(redirectParams(res).get('code')).toEqual(expect.any(String));
    });

    it('with remembered consent a 5,000-character state does not go straight through', async () => {
      const { user, client } = await userAndClient(t);
      await obtainCode(t, user.cookie, codeRequest(client).params);
      const res = await t.http.get(authorizeUrl(codeRequest(client, { state: 's'.repeat(5000) }).params), { cookie: user.cookie });
      expect(res.status).toBe(302);
      expect(redirectParams(res).get('error')).toBe('invalid_request');
      expect(redirectParams(res).has('code')).toBe(false);
    });

    it('a consent post with a tampered over-long state is an authorization error redirect, not API JSON', async () => {
      const { user, client } = await userAndClient(t);
      const page = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: user.cookie });
      const res = await t.http.post('/oauth/consent', {
        cookie: user.cookie,
        form: { ...consentFields(page.text), state: 'x'.repeat(2001), decision: 'approve' },
      });
      expect(res.status).toBe(303);
      expect(redirectParams(res).get('error')).toBe('invalid_request');
      expect(redirectParams(res).has('code')).toBe(false);
    });

    it('a consent post without a decision, or with a bad CSRF token, renders the authorization error page', async () => {
      const { user, client } = await userAndClient(t);
      const page = await t.http.get(authorizeUrl(codeRequest(client).params), { cookie: user.cookie });
      const fields = consentFields(page.text);
      const noDecision = await t.http.post('/oauth/consent', { cookie: user.cookie, form: fields });
      expectErrorPage(noDecision);
      expect(noDecision.text).toContain('data-testid="oauth-error"');
      const badCsrf = await t.http.post('/oauth/consent', {
        cookie: user.cookie,
        form: { ...fields, _csrf: 'forged', decision: 'approve' },
      });
      expect(badCsrf.status).toBe(403);
      expect(badCsrf.headers.get('content-type')).toMatch(/^text\/html/);
      expect(badCsrf.text).toContain('data-testid="oauth-error"');
    });
  });

  describe('RFC 6749 §4.1.2 / RFC 9700 §4.2.4: a replayed code revokes only when the replaying request proves it is the client', () => {
    const auditFor = (userId: string, action: string) => t.dataSource.getRepository(AuditEvent).findBy({ targetId: userId, action });

    async function redeemed(opts: { type?: 'public' | 'confidential' } = {}) {
      const owner = await createUser(t);
      const client = await registerClient(t, owner.user, { type: opts.type ?? 'public' });
      const user = await signedInUser(t);
      const { params, pkce } = codeRequest(client);
      const code = await obtainCode(t, user.cookie, params);
      const first = await exchangeCode(t, client, code, pkce.verifier);
      expect(first.status).toBe(200);
      return { user, client, code, pkce, accessToken: first.body.access_token as string };
    }

    it('RFC 9700 §4.2.4: someone with the used code and the public client_id only (no verifier) gets invalid_grant and revokes nothing; it is audited', async () => {
      const { user, client, code, accessToken } = await redeemed();
      const replay = await t.http.post('/oauth/token', {
        form: { grant_type: 'authorization_code', code, client_id: client.clientId, redirect_uri: client.redirectUris[0] },
      });
      expect([replay.status, replay.body.error]).toEqual([400, 'invalid_grant']);
      expect((await t.http.get('/devices', { bearer: accessToken })).status).toBe(200);
      expect(await auditFor(user.user.id, 'code.replay_refused')).toEqual([
        expect.objectContaining({ outcome: 'denied', actorId: client.clientId }),
      ]);
      expect(await auditFor(user.user.id, 'code.reuse_detected')).toEqual([]);
    });

    it('RFC 7636 §4.6: a wrong code_verifier does not prove the client either', async () => {
      const { client, code, accessToken } = await redeemed();
      const replay = await exchangeCode(t, client, code, pkcePair().verifier);
      expect(replay.body.error).toBe('invalid_grant');
      expect((await t.http.get('/devices', { bearer: accessToken })).status).toBe(200);
    });

    it('RFC 6749 §4.1.2: the client itself (the right code_verifier) replaying the code revokes every token issued from it', async () => {
      const { user, client, code, pkce, accessToken } = await redeemed();
      const replay = await exchangeCode(t, client, code, pkce.verifier);
      expect(replay.body.error).toBe('invalid_grant');
      expect((await t.http.get('/devices', { bearer: accessToken })).status).toBe(401);
      expect(await auditFor(user.user.id, 'code.reuse_detected')).toHaveLength(1);
    });

    it('RFC 6749 §4.1.2: a confidential client authenticating with its secret proves itself, even without the verifier', async () => {
      const { client, code, accessToken } = await redeemed({ type: 'confidential' });
      const replay = await tokenRequest(t, client, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0] });
      expect(replay.body.error).toBe('invalid_grant');
      expect((await t.http.get('/devices', { bearer: accessToken })).status).toBe(401);
    });
  });
});
