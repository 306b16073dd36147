import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/oidc-logout/backchannel-logout.service';
import { OidcClientSettingsService } from '../../src/oidc/oidc-client-settings.service';
import { OutboxService } from '../../src/outbox/outbox.service';
import { CsrfService } from '../../src/sessions/csrf.service';
import { Session } from '../../src/sessions/session.entity';
import { hashToken } from '../../src/auth/token-format';
import { signedInAdmin, startIsolatedTestApp } from './support/admin.fixture';
import { codeRequest, exchangeCode, obtainCode, obtainTokens, registerClient, type TestClient } from './support/oauth-flow.fixture';
import type { TestApp } from './support/test-app';
import { createUser, signIn, type TestUser } from './support/users.fixture';

/** A relying party's back-channel logout endpoint (Back-Channel Logout §2.5), in the test. */
class Receiver {
  readonly tokens: { path: string; token: string; contentType: string | undefined }[] = [];
  /** Answers this many requests with 503 before accepting (the receiver is down). */
  failNext = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(503).end();
          return;
        }
        const token = new URLSearchParams(body).get('logout_token') ?? '';
        this.tokens.push({ path: req.url ?? '', token, contentType: req.headers['content-type'] });
        res.writeHead(200, { 'cache-control': 'no-store' }).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('Back-Channel Logout 1.0', () => {
  let t: TestApp;
  let issuer: string;
  let receiver: Receiver;
  let rp1: TestClient;
  let rp2: TestClient;
  let silent: TestClient;

  beforeAll(async () => {
    // The outbox is database-wide: a database of its own on MariaDB/PostgreSQL; quick retries.
    t = await startIsolatedTestApp({ MAIL_OUTBOX_POLL_MS: '50', MAIL_RETRY_BASE_MS: '50' });
    issuer = t.get<AppConfig>(APP_CONFIG).issuer;
    receiver = new Receiver();
    await receiver.start();
    const owner = await createUser(t);
    rp1 = await registerClient(t, owner.user, { scopes: ['openid', 'read:device'], name: 'RP one' });
    rp2 = await registerClient(t, owner.user, { scopes: ['openid'], name: 'RP two' });
    silent = await registerClient(t, owner.user, { scopes: ['openid'], name: 'RP without back-channel' });
    const settings = t.get<OidcClientSettingsService>(OidcClientSettingsService);
    await settings.update(rp1.clientId, {
      backchannelLogoutUri: `${receiver.url}/rp1/logout`,
      postLogoutRedirectUris: ['https://rp1.example.test/bye'],
    });
    await settings.update(rp2.clientId, { backchannelLogoutUri: `${receiver.url}/rp2/logout?tenant=a`, idTokenAlg: 'RS256' });
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  /** `cookie`'s user signs in to `c` with openid: the id_token. */
  async function signInTo(cookie: string, c: TestClient, scope = 'openid'): Promise<string> {
    const { params, pkce } = codeRequest(c, { scope });
    const code = await obtainCode(t, cookie, params);
    const res = await exchangeCode(t, c, code, pkce.verifier);
    expect(res.status).toBe(200);
    return res.body.id_token;
  }

  /** Waits until the outbox has nothing pending, then returns what arrived since `from`. */
  async function delivered(from: number, want: number) {
    const outbox = t.get<OutboxService>(OutboxService);
    for (let i = 0; i < 200; i++) {
      await outbox.drain();
      if (receiver.tokens.length - from >= want && (await outbox.countPending('oidc.backchannel_logout')) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return receiver.tokens.slice(from);
  }

  const jwks = () => createRemoteJWKSet(new URL(`${t.baseUrl}/.well-known/jwks.json`));

  /** Verifies a logout token as an RP must (§2.6), with jose against the JWKS. */
  async function verifyLogoutToken(token: string, audience: string): Promise<JWTPayload> {
    const { payload, protectedHeader } = await jwtVerify(token, jwks(), {
      issuer,
      audience,
      typ: 'logout+jwt',
      algorithms: ['ES256', 'RS256'],
      requiredClaims: ['iat', 'jti', 'events'],
    });
    expect(protectedHeader.kid).toBeDefined();
    expect(payload.events).toEqual({ [BACKCHANNEL_LOGOUT_EVENT]: {} });
    expect(payload.nonce).toBeUndefined();
    expect(typeof payload.sid === 'string' || typeof payload.sub === 'string').toBe(true);
    return payload;
  }

  async function userSession(): Promise<{ user: TestUser; cookie: string }> {
    const user = await createUser(t);
    return { user, cookie: await signIn(t, user.email) };
  }

  it('Discovery: backchannel_logout_supported and backchannel_logout_session_supported (§2.1)', async () => {
    const doc = (await t.http.get('/.well-known/openid-configuration')).body;
    expect(doc.backchannel_logout_supported).toBe(true);
    expect(doc.backchannel_logout_session_supported).toBe(true);
  });

  it('§2.1 the id_token’s sid names the session (its id, never the session secret)', async () => {
    const { user, cookie } = await userSession();
    const claims = decodeJwt(await signInTo(cookie, rp1));
    const session = await t.dataSource.getRepository(Session).findOneByOrFail({ id: claims.sid as string });
    expect(session.userId).toBe(user.user.id);
    expect(session.secretHash).not.toBe(hashToken(claims.sid as string));
    expect(cookie).not.toContain(claims.sid as string);
  });

  it('§2.5–2.7 user sign-out: a logout token POSTed to each client that got an id_token in the session, verified with jose', async () => {
    const { user, cookie } = await userSession();
    const sid = decodeJwt(await signInTo(cookie, rp1)).sid as string;
    await signInTo(cookie, rp1); // twice in one session: one notice
    await signInTo(cookie, rp2);
    await signInTo(cookie, silent); // registered no back-channel URI
    await obtainTokens(t, cookie, rp1, { scope: 'read:device' }); // plain OAuth: no id_token, no notice of its own
    const from = receiver.tokens.length;
    const res = await t.http.post('/auth/logout', { cookie, origin: t.baseUrl });
    expect(res.status).toBe(204);
    const got = await delivered(from, 2);
    expect(got.map((g) => g.path).sort()).toEqual(['/rp1/logout', '/rp2/logout?tenant=a']);
    for (const g of got) {
      expect(g.contentType).toBe('application/x-www-form-urlencoded');
      const audience = g.path.startsWith('/rp1') ? rp1.clientId : rp2.clientId;
      const claims = await verifyLogoutToken(g.token, audience);
      expect(claims.sid).toBe(sid);
      expect(claims.sub).toBe(user.user.id);
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(120);
    }
    // RS256 for the client that asked for it (id_token_signed_response_alg), ES256 otherwise.
    const algs = Object.fromEntries(
      got.map((g) => [g.path.slice(1, 4), JSON.parse(Buffer.from(g.token.split('.')[0], 'base64url').toString()).alg]),
    );
    expect(algs).toEqual({ rp1: 'ES256', rp2: 'RS256' });
    expect(new Set(got.map((g) => decodeJwt(g.token).jti)).size).toBe(2);
    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'oidc.backchannel_logout', outcome: 'success' });
    expect(
      audit.filter((a) => (a.details as { sessionId?: string } | null)?.sessionId === sid || JSON.stringify(a.details).includes(sid))
        .length,
    ).toBe(2);
  });

  it('§2.7 retried when the receiver is down: delivered once it is back; each failure audited', async () => {
    const { cookie } = await userSession();
    const sid = decodeJwt(await signInTo(cookie, rp1)).sid as string;
    receiver.failNext = 2;
    const from = receiver.tokens.length;
    expect((await t.http.post('/auth/logout', { cookie, origin: t.baseUrl })).status).toBe(204);
    const got = await delivered(from, 1);
    expect(got).toHaveLength(1);
    expect(decodeJwt(got[0].token).sid).toBe(sid);
    const rows = (await t.dataSource.getRepository(AuditEvent).findBy({ action: 'oidc.backchannel_logout' })).filter((r) =>
      JSON.stringify(r.details).includes(sid),
    );
    expect(rows.map((r) => r.outcome).sort()).toEqual(['failed', 'failed', 'success']);
  });

  it('a receiver that is down never delays the user’s own sign-out', async () => {
    const { cookie } = await userSession();
    await signInTo(cookie, rp1);
    receiver.failNext = 1;
    const started = Date.now();
    expect((await t.http.post('/auth/logout', { cookie, origin: t.baseUrl })).status).toBe(204);
    expect(Date.now() - started).toBeLessThan(2000);
    await delivered(receiver.tokens.length, 1);
  });

  it('RP-initiated logout (RP-Initiated Logout §2) notifies the other clients of the session', async () => {
    const { cookie } = await userSession();
    const idToken = await signInTo(cookie, rp1);
    await signInTo(cookie, rp2);
    const from = receiver.tokens.length;
    const res = await t.http.get(
      `/oauth/logout?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: 'https://rp1.example.test/bye' })}`,
      {
        cookie,
      },
    );
    expect(res.status).toBe(303);
    const got = await delivered(from, 2);
    expect(got.map((g) => g.path).sort()).toEqual(['/rp1/logout', '/rp2/logout?tenant=a']);
  });

  it('the user ends one session or signs out the others (account sessions): those sessions’ clients are told', async () => {
    const { user } = await userSession();
    const keep = await signIn(t, user.email);
    const a = await signIn(t, user.email);
    const b = await signIn(t, user.email);
    const sidA = decodeJwt(await signInTo(a, rp1)).sid as string;
    const sidB = decodeJwt(await signInTo(b, rp2)).sid as string;
    const sidKeep = decodeJwt(await signInTo(keep, rp1)).sid as string;
    const csrf = { 'x-csrf-token': t.get<CsrfService>(CsrfService).tokenFor(sidKeep) };
    let from = receiver.tokens.length;
    expect((await t.http.delete(`/account/sessions/${sidA}`, { cookie: keep, headers: csrf })).status).toBeLessThan(300);
    expect((await delivered(from, 1)).map((g) => decodeJwt(g.token).sid)).toEqual([sidA]);
    from = receiver.tokens.length;
    expect((await t.http.delete('/account/sessions', { cookie: keep, headers: csrf })).status).toBeLessThan(300);
    expect((await delivered(from, 1)).map((g) => decodeJwt(g.token).sid)).toEqual([sidB]);
  });

  it('an admin ending a session, revoking everything, or disabling the user: every affected session’s clients are told', async () => {
    const admin = await signedInAdmin(t);
    const { user, cookie } = await userSession();
    const sid1 = decodeJwt(await signInTo(cookie, rp1)).sid as string;
    let from = receiver.tokens.length;
    expect((await t.http.delete(`/admin/users/${user.user.id}/credentials/session/${sid1}`, { cookie: admin.cookie })).status).toBe(204);
    expect((await delivered(from, 1)).map((g) => decodeJwt(g.token).sid)).toEqual([sid1]);

    const c2 = await signIn(t, user.email);
    const c3 = await signIn(t, user.email);
    const sids = [decodeJwt(await signInTo(c2, rp1)).sid, decodeJwt(await signInTo(c3, rp1)).sid].sort();
    from = receiver.tokens.length;
    expect((await t.http.post(`/admin/users/${user.user.id}/revoke-credentials`, { cookie: admin.cookie })).status).toBe(200);
    expect((await delivered(from, 2)).map((g) => decodeJwt(g.token).sid).sort()).toEqual(sids);

    const c4 = await signIn(t, user.email);
    const sid4 = decodeJwt(await signInTo(c4, rp2)).sid as string;
    from = receiver.tokens.length;
    expect((await t.http.post(`/admin/users/${user.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
    const got = await delivered(from, 1);
    expect(got.map((g) => decodeJwt(g.token).sid)).toEqual([sid4]);
    expect(decodeJwt(got[0].token).sub).toBe(user.user.id);
  });

  it('a client that removed its back-channel URI before delivery is not called', async () => {
    const lone = await registerClient(t, (await createUser(t)).user, { scopes: ['openid'], name: 'Leaving RP' });
    const settings = t.get<OidcClientSettingsService>(OidcClientSettingsService);
    await settings.update(lone.clientId, { backchannelLogoutUri: `${receiver.url}/lone` });
    const { cookie } = await userSession();
    await signInTo(cookie, lone);
    receiver.failNext = 1; // the first attempt fails; the URI goes before the retry
    const from = receiver.tokens.length;
    expect((await t.http.post('/auth/logout', { cookie, origin: t.baseUrl })).status).toBe(204);
    await settings.update(lone.clientId, { backchannelLogoutUri: null });
    await delivered(from, 0);
    expect(receiver.tokens.slice(from).filter((g) => g.path === '/lone')).toEqual([]);
  });
});
