import { createHmac } from 'node:crypto';
import { constantTimeEquals } from '../auth/token-format';

/**
 * The query parameter that marks an authorization request sent to sign in again (`prompt=login`,
 * `max_age`, Core §3.1.2.1): it carries when it was made under an HMAC, so the request coming back
 * is satisfied only by an authentication after that moment (a new sign-in, or a step-up of the
 * same session), within `REAUTH_MARKER_TTL_MS`, and cannot be satisfied by editing the URL. A
 * marker names no session: one made for a browser without a session, or copied from another
 * request, is worth nothing to a session that authenticated before it.
 */
export const REAUTH_PARAM = 'gh_reauth';

/** How long a marked request may take to come back from the sign-in page. */
export const REAUTH_MARKER_TTL_MS = 10 * 60_000;

export function reauthMarker(key: Uint8Array, now = Date.now()): string {
  const issued = String(now);
  return `${issued}.${mac(key, issued)}`;
}

/** Whether `marker` is genuine, recent, and the session authenticated (`authTime`) since it was made. */
export function reauthSatisfied(key: Uint8Array, marker: string | undefined, authTime: Date, now = Date.now()): boolean {
  if (!marker || marker.length > 200) return false;
  const dot = marker.lastIndexOf('.');
  if (dot <= 0) return false;
  const issued = marker.slice(0, dot);
  if (!/^\d{1,15}$/.test(issued) || !constantTimeEquals(marker.slice(dot + 1), mac(key, issued))) return false;
  const issuedMs = Number(issued);
  // Milliseconds (auth_time is stored with them): a sign-in a moment before the marker does not count.
  return now - issuedMs <= REAUTH_MARKER_TTL_MS && authTime.getTime() > issuedMs;
}

/** The authorization request URL again, marked (any earlier marker replaced). */
export function withReauthMarker(requestUrl: string, marker: string): string {
  const url = new URL(requestUrl, 'http://x');
  url.searchParams.set(REAUTH_PARAM, marker);
  return `${url.pathname}${url.search}`;
}

function mac(key: Uint8Array, issued: string): string {
  return createHmac('sha256', key).update(`reauth-at:${issued}`).digest('base64url');
}
