import { AccountPasswordService } from '../../../src/account/account-password.service';
import { TOKEN_EXCHANGE_GRANT } from '../../../src/clients/client-types';
import { basicAuth } from './clients.fixture';
import { deviceUser, DeviceUser, enterAndDecide, poll, startDeviceFlow } from './device-flow.fixture';
import type { HttpResponse } from './http-client';
import { codeRequest, exchangeCode, obtainCode, obtainTokens, refresh, TestClient } from './oauth-flow.fixture';
import { HTML } from './pages.fixture';
import { createPat } from './personal-tokens.fixture';
import type { TestApp } from './test-app';
import { signIn } from './users.fixture';

export const NEW_PASSWORD = 'purple elephants dance quietly';

/** The app settings for issuing many in-flight credentials fast (no rate limit in the way; each device code is polled once). */
export const IN_FLIGHT_ENV = {
  TRUST_PROXY: 'true',
  TOKEN_RATE_LIMIT_PER_IP: '100000',
  TOKEN_RATE_LIMIT_PER_CLIENT: '100000',
  RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
  DEVICE_CODE_INTERVAL_SECONDS: '1',
  // The credential cache on, as in production: every bearer below is used once, so it is cached.
  CREDENTIAL_CACHE_TTL_MS: '1000',
};

/** The clients a user's in-flight credentials are issued to: one for the code flow, one for the device flow. */
export interface InFlightClients {
  code: TestClient;
  device: TestClient;
  /** With it, an RFC 8693 impersonation token acting for the user too (the token-exchange state). */
  exchange?: { client: { clientId: string; secret?: string }; actorToken: string };
}

/** A user holding one of every kind (issue 22 §1), in flight or live, all issued before the event under test. */
export interface InFlight {
  u: DeviceUser;
  clients: InFlightClients;
  otherSession: string;
  /** An authorization code not yet redeemed. */
  code: { code: string; verifier: string };
  /** A device code approved but not yet polled. */
  deviceCode: string;
  /** A code-flow token pair (a refresh family) and a polled device's pair. */
  tokens: { access_token: string; refresh_token: string };
  deviceTokens: { access_token: string; refresh_token: string };
  pat: string;
  /** An impersonation token (RFC 8693) for the user, when `clients.exchange` was given. */
  impersonation?: string;
  resetLink: string;
}

export function resetLinkOf(url: string): string {
  return new URL(url).searchParams.get('token')!;
}

/**
 * Issues one of every credential kind to `u` (a fresh user by default) through `clients`, with
 * `scope` (a space-separated list) for the codes, device codes, tokens and the PAT.
 */
export async function inFlight(t: TestApp, clients: InFlightClients, opts: { u?: DeviceUser; scope?: string } = {}): Promise<InFlight> {
  const u = opts.u ?? (await deviceUser(t));
  const scope = opts.scope ?? 'read:device';
  const otherSession = await signIn(t, u.email);
  const tokens = await obtainTokens(t, u.cookie, clients.code, { scope });
  // A device authorized and polled once (a refresh family), and another approved but not yet polled.
  const first = await startDeviceFlow(t, clients.device, scope);
  await enterAndDecide(t, u, first.user_code, 'approve');
  const polled = await poll(t, clients.device, first.device_code);
  expect(polled.status).toBe(200);
  const second = await startDeviceFlow(t, clients.device, scope);
  expect((await enterAndDecide(t, u, second.user_code, 'approve')).status).toBe(200);
  const { params, pkce } = codeRequest(clients.code, { scope });
  const code = await obtainCode(t, u.cookie, params);
  const pat = (await createPat(t, u.cookie, scope.split(' '))).token;
  const resetLink = resetLinkOf((await t.get<AccountPasswordService>(AccountPasswordService).issueLink(u.user.id, null)).url);
  const impersonation = clients.exchange ? await impersonate(t, clients.exchange, u.user.id) : undefined;
  // Each bearer is used once: it is in the credential cache when the event comes.
  for (const bearer of [tokens.access_token, polled.body.access_token, pat, impersonation]) {
    if (bearer) expect((await readApi(t, bearer)).status).toBe(200);
  }
  // The clock moves on before the event (the epoch is a millisecond timestamp).
  await new Promise((r) => setTimeout(r, 5));
  return {
    u,
    clients,
    otherSession,
    code: { code, verifier: pkce.verifier },
    deviceCode: second.device_code,
    tokens,
    deviceTokens: polled.body,
    pat,
    impersonation,
    resetLink,
  };
}

/** RFC 8693 §2.1: an admin's token exchanged for an impersonation token acting for `userId`. */
async function impersonate(t: TestApp, exchange: NonNullable<InFlightClients['exchange']>, userId: string): Promise<string> {
  const res = await t.http.post('/oauth/token', {
    form: {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: userId,
      subject_token_type: 'urn:gatehouse:params:oauth:token-type:user-id',
      actor_token: exchange.actorToken,
      actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'read:device',
    },
    headers: { authorization: basicAuth(exchange.client.clientId, exchange.client.secret!) },
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** A read of Gatehouse's own API with a bearer credential. */
export const readApi = (t: TestApp, bearer: string): Promise<HttpResponse> => t.http.get('/devices', { bearer });

export async function sessionWorks(t: TestApp, cookie: string): Promise<boolean> {
  return (await t.http.get('/account/sessions', { cookie, headers: { accept: 'application/json' } })).status === 200;
}

export async function resetLinkWorks(t: TestApp, token: string): Promise<boolean> {
  const page = await t.http.get(`/password-reset?token=${token}`, { headers: HTML });
  return page.status === 200 && page.text.includes('name="newPassword"');
}

/** POST /oauth/introspect (RFC 7662) as a resource server (a confidential client allowed to introspect any token). */
export function introspect(t: TestApp, rs: { clientId: string; secret?: string }, token: string): Promise<HttpResponse> {
  return t.http.post('/oauth/introspect', { form: { token }, headers: { authorization: basicAuth(rs.clientId, rs.secret!) } });
}

/**
 * RFC 6749 §5.2: what was issued before the event answers invalid_grant at the token endpoint
 * (`error: 'invalid_client'`, 401, when the event removed the client); the access tokens are 401
 * (RFC 6750 §3.1); the reset link neither opens nor sets a password (unless `resetLink: false`,
 * for an event that ends the client's credentials, not the user's); with `rs`, introspection by
 * that resource server says `active: false` for each token.
 */
export async function expectInFlightEnded(
  t: TestApp,
  f: InFlight,
  opts: { error?: 'invalid_grant' | 'invalid_client'; resetLink?: boolean; rs?: { clientId: string; secret?: string } } = {},
): Promise<void> {
  const error = opts.error ?? 'invalid_grant';
  const status = error === 'invalid_client' ? 401 : 400;
  const code = await exchangeCode(t, f.clients.code, f.code.code, f.code.verifier);
  expect([code.status, code.body.error]).toEqual([status, error]);
  const device = await poll(t, f.clients.device, f.deviceCode);
  expect([device.status, device.body.error]).toEqual([status, error]);
  for (const [client, rt] of [
    [f.clients.code, f.tokens.refresh_token],
    [f.clients.device, f.deviceTokens.refresh_token],
  ] as const) {
    const r = await refresh(t, client, rt);
    expect([r.status, r.body.error]).toEqual([status, error]);
  }
  for (const at of [f.tokens.access_token, f.deviceTokens.access_token]) expect((await readApi(t, at)).status).toBe(401);
  if (f.impersonation) expect((await readApi(t, f.impersonation)).status).toBe(401);
  // RFC 7662 §2.2: a resource server asking about any of them hears `active: false`.
  if (opts.rs) {
    for (const token of [f.tokens.access_token, f.tokens.refresh_token, f.deviceTokens.access_token, f.deviceTokens.refresh_token]) {
      expect((await introspect(t, opts.rs, token)).body).toEqual({ active: false });
    }
  }
  if (opts.resetLink === false) return;
  expect(await resetLinkWorks(t, f.resetLink)).toBe(false);
  const used = await t.http.post('/password-reset', {
    form: { token: f.resetLink, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    origin: t.baseUrl,
  });
  expect(used.status).toBe(400);
}

/** Credentials issued after the event work: the epoch ends only what came before it. */
export async function expectFreshOnesWork(t: TestApp, u: DeviceUser, cookie: string, clients: InFlightClients): Promise<void> {
  const fresh = await obtainTokens(t, cookie, clients.code);
  expect((await readApi(t, fresh.access_token)).status).toBe(200);
  expect((await refresh(t, clients.code, fresh.refresh_token)).status).toBe(200);
  const dev = await startDeviceFlow(t, clients.device);
  await enterAndDecide(t, { ...u, cookie }, dev.user_code, 'approve');
  expect((await poll(t, clients.device, dev.device_code)).status).toBe(200);
  const link = resetLinkOf((await t.get<AccountPasswordService>(AccountPasswordService).issueLink(u.user.id, null)).url);
  expect(await resetLinkWorks(t, link)).toBe(true);
}
