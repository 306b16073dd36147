import { randomInt } from 'node:crypto';
import { hashToken } from '../auth/token-format';

/**
 * User codes (RFC 8628 §6.1): 8 characters from 20 consonants without look-alikes (no vowels,
 * so no words; no 0/O, 1/I/L, 5/S, 2/Z ambiguity with digits), shown as `XXXX-XXXX`.
 * 20^8 ≈ 2.56 × 10^10 codes (34.6 bits); see docs/device-flow.md for the guessing figure.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** A new code from the CSPRNG, normalised (no dash). */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** `BCDFGHJK` → `BCDF-GHJK`, as shown to the user. */
export function formatUserCode(normalised: string): string {
  return `${normalised.slice(0, 4)}-${normalised.slice(4)}`;
}

/**
 * What the user typed, normalised: case-insensitive, dashes and spaces ignored (§6.1). Null
 * when it cannot be a user code at all (wrong length or characters outside the alphabet).
 */
export function normaliseUserCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const ch of code) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** What the database stores and is searched by. */
export function hashUserCode(normalised: string): string {
  return hashToken(`user-code:${normalised}`);
}
