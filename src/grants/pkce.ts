import { createHash } from 'node:crypto';
import { constantTimeEquals } from '../auth/token-format';

/** The only transformation Gatehouse accepts (RFC 9700 §2.1.1: `plain` gives no protection). */
export const PKCE_METHOD = 'S256';

/** RFC 7636 §4.1: 43–128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** An S256 challenge is the base64url (no padding) of a SHA-256: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

export function isWellFormedS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.6: recompute the challenge from the verifier and compare in constant time. */
export function verifyS256(verifier: string, challenge: string): boolean {
  if (!isWellFormedVerifier(verifier)) return false;
  return constantTimeEquals(s256Challenge(verifier), challenge);
}
