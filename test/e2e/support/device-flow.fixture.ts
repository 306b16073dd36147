import { randomInt } from 'node:crypto';
import type { PrincipalUser } from '../../../src/auth/principal.factory';
import { DEVICE_CODE_GRANT_TYPE } from '../../../src/clients/client-types';
import type { HttpResponse } from './http-client';
import { clientRequest, registerClient, TestClient, tokenRequest } from './oauth-flow.fixture';
import type { TestApp } from './test-app';
import { signedInUser, TestUser } from './users.fixture';

export { DEVICE_CODE_GRANT_TYPE };

/** RFC 8628 §3.2 response. */
export interface DeviceAuthorizationBody {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** A browser user with their own client IP (X-Forwarded-For; the app trusts the proxy in these tests). */
export interface DeviceUser extends TestUser {
  cookie: string;
  ip: string;
}

/** A fresh documentation-range IP per user, so per-IP limits of one test never touch another. */
export function uniqueIp(): string {
  return `198.51.${randomInt(256)}.${randomInt(1, 255)}`;
}

export async function deviceUser(t: TestApp): Promise<DeviceUser> {
  return { ...(await signedInUser(t)), ip: uniqueIp() };
}

/** A client registered for the device grant (and refresh tokens, unless `grantTypes` says otherwise). */
export function deviceClient(t: TestApp, owner: PrincipalUser, opts: Parameters<typeof registerClient>[2] = {}): Promise<TestClient> {
  return registerClient(t, owner, {
    redirectUris: [],
    grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
    name: 'Radon sensor',
    ...opts,
  });
}

/** POST /oauth/device_authorization (RFC 8628 §3.1) as `client`. */
export function requestDeviceAuthorization(
  t: TestApp,
  client: TestClient,
  scope: string | undefined = 'read:device',
): Promise<HttpResponse> {
  return clientRequest(t, client, '/oauth/device_authorization', { scope });
}

export async function startDeviceFlow(t: TestApp, client: TestClient, scope?: string): Promise<DeviceAuthorizationBody> {
  const res = await requestDeviceAuthorization(t, client, scope);
  if (res.status !== 200) throw new Error(`device authorization failed: ${res.status} ${res.text}`);
  return res.body;
}

/** One poll of the token endpoint (RFC 8628 §3.4). */
export function poll(t: TestApp, client: TestClient, deviceCode: string): Promise<HttpResponse> {
  return tokenRequest(t, client, { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode });
}

function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error(`no CSRF token in page: ${page.slice(0, 300)}`);
  return m[1];
}

/** GET /device as the user (optionally with ?user_code=), from their own IP. */
export function verificationPage(t: TestApp, user: DeviceUser, userCode?: string): Promise<HttpResponse> {
  const q = userCode === undefined ? '' : `?user_code=${encodeURIComponent(userCode)}`;
  return t.http.get(`/device${q}`, { cookie: user.cookie, headers: { 'x-forwarded-for': user.ip } });
}

/** Types `userCode` on the verification page and submits it: the consent page, or an error page. */
export async function enterUserCode(t: TestApp, user: DeviceUser, userCode: string): Promise<HttpResponse> {
  const page = await verificationPage(t, user);
  return t.http.post('/device', {
    cookie: user.cookie,
    headers: { 'x-forwarded-for': user.ip },
    form: { _csrf: csrfOf(page.text), user_code: userCode },
  });
}

/** Submits the device consent page's decision (the user code comes from the page's hidden field). */
export function decideOnDevice(t: TestApp, user: DeviceUser, consentPage: string, decision: 'approve' | 'deny'): Promise<HttpResponse> {
  const code = /name="user_code" value="([^"]+)"/.exec(consentPage)?.[1];
  if (!code) throw new Error(`no device consent form in page: ${consentPage.slice(0, 300)}`);
  return t.http.post('/device/decision', {
    cookie: user.cookie,
    headers: { 'x-forwarded-for': user.ip },
    form: { _csrf: csrfOf(consentPage), user_code: code, decision },
  });
}

/** Enter the code and decide: the outcome page. */
export async function enterAndDecide(t: TestApp, user: DeviceUser, userCode: string, decision: 'approve' | 'deny'): Promise<HttpResponse> {
  const consent = await enterUserCode(t, user, userCode);
  if (consent.status !== 200) throw new Error(`code entry failed: ${consent.status} ${consent.text.slice(0, 300)}`);
  return decideOnDevice(t, user, consent.text, decision);
}
