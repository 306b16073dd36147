import { Session } from '../../../src/sessions/session.entity';
import { SessionCookieService } from '../../../src/sessions/session-cookie.service';
import { cookiePair } from './http-client';
import type { TestApp } from './test-app';
import { TEST_PASSWORD } from './users.fixture';

/** Signs in (JSON) and returns the cookie and the session's id. */
export async function signInWithId(t: TestApp, email: string, password = TEST_PASSWORD): Promise<{ cookie: string; sessionId: string }> {
  const res = await t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const cookie = cookiePair(res.setCookies, t.get<SessionCookieService>(SessionCookieService).name);
  if (!cookie) throw new Error('no session cookie set');
  return { cookie, sessionId: (res.body as { sessionId: string }).sessionId };
}

/** Makes the session's last authentication `seconds` old (an UPDATE of `sessions.auth_time`; the credential cache empties on it). */
export async function ageAuthentication(t: TestApp, sessionId: string, seconds = 3600): Promise<void> {
  await t.dataSource.getRepository(Session).update({ id: sessionId }, { authTime: new Date(Date.now() - seconds * 1000) });
}

export async function authTimeOf(t: TestApp, sessionId: string): Promise<{ authTime: Date; amr: string[] | null }> {
  const row = await t.dataSource.getRepository(Session).findOneByOrFail({ id: sessionId });
  return { authTime: row.authTime!, amr: row.amr };
}

/** The hidden `_stepup` (the carried form) of a re-authentication page. */
export function carryOf(html: string): string {
  const m = /name="_stepup" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no carried form on the page: ${html.slice(0, 300)}`);
  return m[1];
}
