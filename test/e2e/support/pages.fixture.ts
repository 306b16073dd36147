import { FlashService } from '../../../src/sessions/flash.service';
import { cookiePair, HttpResponse } from './http-client';
import type { TestApp } from './test-app';

export const HTML = { accept: 'text/html' };

/**
 * Follows a form post's 303 as a browser would: GETs the Location with the session cookie and
 * the flash cookie the post set. Returns that page.
 */
export async function followRedirect(t: TestApp, posted: HttpResponse, cookie: string): Promise<HttpResponse> {
  if (posted.status !== 303) throw new Error(`expected a 303, got ${posted.status}: ${posted.text.slice(0, 300)}`);
  const flash = cookiePair(posted.setCookies, t.get<FlashService>(FlashService).cookieName);
  return t.http.get(posted.headers.get('location')!, { cookie: flash ? `${cookie}; ${flash}` : cookie, headers: HTML });
}

/** The one-time secret a page shows from its flash (API key, client secret, password, reset link). */
export function revealedSecret(html: string): string | undefined {
  return /data-testid="revealed-secret">([^<]+)</.exec(html)?.[1];
}

/** The flash message a page shows. */
export function flashMessage(html: string): string | undefined {
  return /class="flash-message">([^<]+)</.exec(html)?.[1];
}
