import { createHmac } from 'node:crypto';
import { constantTimeEquals } from '../auth/token-format';

/**
 * The query parameter that marks an authorization request sent to sign in again (`prompt=login`,
 * `max_age=0`, Core §3.1.2.1): it names the session that was not good enough (or `-` for none)
 * under an HMAC, so the request coming back after sign-in is satisfied by any other session and
 * cannot be satisfied by editing the URL.
 */
export const REAUTH_PARAM = 'gh_reauth';

export function reauthMarker(key: Uint8Array, previousSessionId: string | undefined): string {
  const sid = previousSessionId ?? '-';
  return `${sid}.${mac(key, sid)}`;
}

/** Whether `marker` is genuine and names a session other than `sessionId`. */
export function reauthSatisfied(key: Uint8Array, marker: string | undefined, sessionId: string): boolean {
  if (!marker || marker.length > 200) return false;
  const dot = marker.lastIndexOf('.');
  if (dot <= 0) return false;
  const sid = marker.slice(0, dot);
  return constantTimeEquals(marker.slice(dot + 1), mac(key, sid)) && sid !== sessionId;
}

/** The authorization request URL again, marked (any earlier marker replaced). */
export function withReauthMarker(requestUrl: string, marker: string): string {
  const url = new URL(requestUrl, 'http://x');
  url.searchParams.set(REAUTH_PARAM, marker);
  return `${url.pathname}${url.search}`;
}

function mac(key: Uint8Array, sid: string): string {
  return createHmac('sha256', key).update(`reauth:${sid}`).digest('base64url');
}
