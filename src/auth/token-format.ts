import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Every secret Gatehouse issues has the form `<prefix>_<random><checksum>`:
 * 30 base62 characters from the CSPRNG (~178 bits) and a 6-character base62 CRC32 of them.
 * The checksum lets secret scanners and the server reject a mistyped or made-up token without
 * a database lookup. Only the SHA-256 of a token is ever stored.
 *
 * The auth core knows no prefix: each module defines its own kinds with `defineTokenKind` and
 * registers them in the `TokenKindRegistry` (which refuses a prefix registered twice). The README's
 * table for secret scanners is checked against that registry.
 */
export interface TokenKind {
  /** Lowercase letters before the `_`, unique across the application. */
  readonly prefix: string;
  /** What the token is, as the README's secret-scanner table names it. */
  readonly description: string;
  /** `^<prefix>_[0-9A-Za-z]{36}$`, compiled once. */
  readonly pattern: RegExp;
}

const PREFIX_SHAPE = /^[a-z]{2,10}$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;

/** A module's token kind, e.g. `defineTokenKind('acme', 'Acme widget token')` for `acme_…` tokens. */
export function defineTokenKind(prefix: string, description: string): TokenKind {
  if (!PREFIX_SHAPE.test(prefix)) throw new Error(`Token prefix must be 2 to 10 lowercase letters: ${prefix}`);
  return Object.freeze({ prefix, description, pattern: new RegExp(`^${prefix}_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`) });
}

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksum(random: string): string {
  return base62(crc32(random) >>> 0, CHECKSUM_LENGTH);
}

export function generateToken(kind: TokenKind): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  return `${kind.prefix}_${random}${checksum(random)}`;
}

/**
 * A token of the usual format whose random part is HMAC-SHA512(key, label, input) instead of the
 * CSPRNG: only a holder of `key` and `input` can compute it, and it is the same every time.
 * Base62 by rejection sampling (bytes ≥ 248 are skipped), so every character is uniform.
 */
export function deriveToken(kind: TokenKind, key: Uint8Array, label: string, input: string): string {
  let random = '';
  for (let block = 0; random.length < RANDOM_LENGTH; block++) {
    const bytes = createHmac('sha512', key).update(`${label}\0${block}\0${input}`).digest();
    for (const b of bytes) {
      if (b >= 248 || random.length === RANDOM_LENGTH) continue;
      random += ALPHABET[b % 62];
    }
  }
  return `${kind.prefix}_${random}${checksum(random)}`;
}

/** The regular expression a token of this kind matches (for docs and secret scanners). */
export function tokenPattern(kind: TokenKind): RegExp {
  return kind.pattern;
}

export function hasPrefix(kind: TokenKind, token: string): boolean {
  return token.length > kind.prefix.length && token.charCodeAt(kind.prefix.length) === 95 /* _ */ && token.startsWith(kind.prefix);
}

/**
 * The prefix a token claims (the lowercase letters before its first `_`), or undefined when it
 * has none: what the guard dispatches on, with no I/O and no allocation beyond the slice.
 */
export function prefixOf(token: string): string | undefined {
  const end = token.indexOf('_');
  if (end < 2 || end > 10) return undefined;
  for (let i = 0; i < end; i++) {
    const c = token.charCodeAt(i);
    if (c < 97 || c > 122) return undefined;
  }
  return token.slice(0, end);
}

/** Format and checksum check: no I/O, so malformed tokens never reach the database. */
export function isWellFormed(kind: TokenKind, token: string): boolean {
  if (!kind.pattern.test(token)) return false;
  const body = token.slice(kind.prefix.length + 1);
  const random = body.slice(0, RANDOM_LENGTH);
  return checksum(random) === body.slice(RANDOM_LENGTH);
}

/** SHA-256 hex of a credential: what the database stores and is searched by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (of any length). */
export function constantTimeEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** What lists show instead of the token: the prefix and the last four characters. */
export function redactToken(token: string): string {
  const idx = token.indexOf('_');
  return `${token.slice(0, idx + 1)}…${token.slice(-4)}`;
}
