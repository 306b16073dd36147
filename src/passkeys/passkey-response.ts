import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { refusals } from './passkey.error';

/** The largest credential response accepted (a form field or JSON string); real ones are a few KiB. */
export const MAX_RESPONSE_LENGTH = 32_000;

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function isB64url(v: unknown, max = MAX_RESPONSE_LENGTH): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max && B64URL.test(v);
}

function parseObject(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw refusals.malformed('not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw refusals.malformed('not an object');
  return value as Record<string, unknown>;
}

/** The challenge the client says it answered (clientDataJSON.challenge), to find our copy of it. */
function challengeOf(clientDataJSON: string): string {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    throw refusals.malformed('clientDataJSON is not JSON');
  }
  const challenge = (data as { challenge?: unknown } | null)?.challenge;
  if (typeof challenge !== 'string' || !isB64url(challenge, 128)) throw refusals.malformed('no challenge in clientDataJSON');
  return challenge;
}

function common(o: Record<string, unknown>): Record<string, unknown> {
  if (o.type !== 'public-key' || !isB64url(o.id, 1400) || !isB64url(o.rawId, 1400)) throw refusals.malformed('not a public-key credential');
  const r = o.response;
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw refusals.malformed('no response');
  const resp = r as Record<string, unknown>;
  if (!isB64url(resp.clientDataJSON)) throw refusals.malformed('no clientDataJSON');
  return resp;
}

/**
 * Reads a PublicKeyCredential's JSON (as @simplewebauthn/browser's `startRegistration` returns it)
 * far enough to find its challenge; everything else is the library's to verify. Garbage is a 400.
 */
export function parseRegistrationResponse(raw: string): { response: RegistrationResponseJSON; challenge: string } {
  const o = parseObject(raw);
  const resp = common(o);
  if (!isB64url(resp.attestationObject)) throw refusals.malformed('no attestationObject');
  if (resp.transports !== undefined && (!Array.isArray(resp.transports) || resp.transports.some((t) => typeof t !== 'string'))) {
    throw refusals.malformed('bad transports');
  }
  return { response: o as unknown as RegistrationResponseJSON, challenge: challengeOf(resp.clientDataJSON as string) };
}

/** The same for a sign-in (`startAuthentication`): an assertion with its authenticator data and signature. */
export function parseAuthenticationResponse(raw: string): { response: AuthenticationResponseJSON; challenge: string; userHandle?: string } {
  const o = parseObject(raw);
  const resp = common(o);
  if (!isB64url(resp.authenticatorData) || !isB64url(resp.signature)) throw refusals.malformed('no authenticatorData or signature');
  if (resp.userHandle !== undefined && resp.userHandle !== null && !isB64url(resp.userHandle, 128))
    throw refusals.malformed('bad userHandle');
  return {
    response: o as unknown as AuthenticationResponseJSON,
    challenge: challengeOf(resp.clientDataJSON as string),
    userHandle: typeof resp.userHandle === 'string' ? resp.userHandle : undefined,
  };
}
