import { ScureBase32Plugin } from '@otplib/plugin-base32-scure';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generate } from '@otplib/totp';
import { SessionCookieService } from '../../../src/sessions/session-cookie.service';
import { FlashService } from '../../../src/sessions/flash.service';
import { cookiePair, HttpResponse } from './http-client';
import { HTML } from './pages.fixture';
import type { TestApp } from './test-app';
import { TEST_PASSWORD } from './users.fixture';

const crypto = new NodeCryptoPlugin();
const base32 = new ScureBase32Plugin();

/**
 * The TOTP code of `secret` `steps` time steps from now (-1: the previous code, +1: the next).
 * Call `awayFromStepEdge()` first when a test needs codes of known steps.
 */
export function totpCode(secret: string, steps = 0): Promise<string> {
  return generate({ secret, crypto, base32, period: 30, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

/** Waits out the last 3 seconds of a 30 s step, so codes computed now are still of the same step when checked. */
export async function awayFromStepEdge(): Promise<void> {
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 27) await new Promise((r) => setTimeout(r, (30 - intoStep + 0.2) * 1000));
}

/** The `_csrf` value of the first form of a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF field on the page: ${html.slice(0, 300)}`);
  return m[1];
}

/** Starts authenticator-app enrolment over HTTP and returns the page with the QR code, and the secret it shows. */
export async function beginTotp(t: TestApp, cookie: string): Promise<{ secret: string; page: HttpResponse }> {
  const first = await t.http.get('/account/mfa', { cookie, headers: HTML });
  const begun = await t.http.post('/account/mfa/totp', { cookie, form: { _csrf: csrfOf(first.text) } });
  if (begun.status !== 303) throw new Error(`enrolment did not start: ${begun.status} ${begun.text.slice(0, 300)}`);
  const page = await t.http.get('/account/mfa', { cookie, headers: HTML });
  const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1];
  if (!secret) throw new Error(`no secret on the enrolment page: ${page.status}`);
  return { secret, page };
}

/**
 * Enrols an authenticator app for the signed-in `cookie` (confirmed with the previous step's code,
 * so the current and next codes remain for sign-in). Returns the secret and the recovery codes shown once.
 */
export async function enrolTotp(t: TestApp, cookie: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret, page } = await beginTotp(t, cookie);
  await awayFromStepEdge();
  const done = await t.http.post('/account/mfa/totp/confirm', {
    cookie,
    form: { _csrf: csrfOf(page.text), code: await totpCode(secret, -1) },
  });
  if (done.status !== 303) throw new Error(`enrolment not confirmed: ${done.status} ${done.text.slice(0, 500)}`);
  const flash = cookiePair(done.setCookies, t.get<FlashService>(FlashService).cookieName);
  const shown = await t.http.get('/account/mfa', { cookie: `${cookie}; ${flash}`, headers: HTML });
  const list = /data-testid="revealed-lines">([\s\S]*?)<\/ol>/.exec(shown.text)?.[1] ?? '';
  const recoveryCodes = [...list.matchAll(/<code>([a-z0-9-]+)<\/code>/g)].map((m) => m[1]);
  return { secret, recoveryCodes };
}

/** Signs in with the password only (JSON) and returns the session cookie and the answer (partial when a factor is enrolled). */
export async function passwordStep(t: TestApp, email: string, password = TEST_PASSWORD): Promise<{ cookie: string; res: HttpResponse }> {
  const res = await t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const cookie = cookiePair(res.setCookies, t.get<SessionCookieService>(SessionCookieService).name);
  if (!cookie) throw new Error('no session cookie set');
  return { cookie, res };
}

/** The second step with an authenticator-app code (JSON). */
export function submitTotp(t: TestApp, cookie: string, code: string): Promise<HttpResponse> {
  return t.http.post('/login/second-factor/totp', { cookie, json: { code } });
}
