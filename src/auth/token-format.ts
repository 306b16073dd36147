import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Every secret Gatehouse issues has the form `<prefix>_<random><checksum>`:
 * 30 base62 characters from the CSPRNG (~178 bits) and a 6-character base62 CRC32 of them.
 * The checksum lets secret scanners and the server reject a mistyped or made-up token without
 * a database lookup. Only the SHA-256 of a token is ever stored.
 *
 * Regular expressions for secret scanners are listed in the README.
 */
export const TOKEN_PREFIX = {
  session: 'ghss',
  personalAccessToken: 'ghpat',
  accessToken: 'ghat',
  refreshToken: 'ghrt',
  clientSecret: 'ghcs',
  authorizationCode: 'ghac',
  botToken: 'ghbot',
  impersonationToken: 'ghimp',
  deviceCode: 'ghdc',
  passwordReset: 'ghpr',
} as const;
export type TokenKind = keyof typeof TOKEN_PREFIX;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;

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
  return `${TOKEN_PREFIX[kind]}_${random}${checksum(random)}`;
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
  return `${TOKEN_PREFIX[kind]}_${random}${checksum(random)}`;
}

/** The regular expression a token of this kind matches (for docs and secret scanners). */
export function tokenPattern(kind: TokenKind): RegExp {
  return new RegExp(`^${TOKEN_PREFIX[kind]}_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
}

export function hasPrefix(kind: TokenKind, token: string): boolean {
  return token.startsWith(`${TOKEN_PREFIX[kind]}_`);
}

/** Format and checksum check: no I/O, so malformed tokens never reach the database. */
const PATTERNS = new Map<TokenKind, RegExp>();

export function isWellFormed(kind: TokenKind, token: string): boolean {
  // Runs on every authenticated request: compile each kind's pattern once.
  let pattern = PATTERNS.get(kind);
  if (!pattern) PATTERNS.set(kind, (pattern = tokenPattern(kind)));
  if (!pattern.test(token)) return false;
  const body = token.slice(TOKEN_PREFIX[kind].length + 1);
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
