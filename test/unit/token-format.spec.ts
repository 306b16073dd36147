import {
  constantTimeEquals,
  deriveToken,
  generateToken,
  hashToken,
  hasPrefix,
  isWellFormed,
  defineTokenKind,
  prefixOf,
  redactToken,
  tokenPattern,
} from '../../src/auth/token-format';

// The format is the auth core's; the kinds are the modules'. These stand for any module's kinds.
const A = defineTokenKind('tsta', 'test kind A');
const B = defineTokenKind('tstbb', 'test kind B');
const C = defineTokenKind('tc', 'test kind C');
const KINDS = [A, B, C];

/** Changes the character at `index` to another base62 character. */
function mutate(token: string, index: number): string {
  const c = token[index];
  const replacement = c === 'a' ? 'b' : 'a';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('token-format', () => {
  describe('generateToken', () => {
    it.each(KINDS.map((k) => [k.prefix, k] as const))(
      '%s: prefix, 36 base62 characters, matching its own pattern and checksum',
      (_prefix, kind) => {
        const token = generateToken(kind);
        expect(token.startsWith(`${kind.prefix}_`)).toBe(true);
        expect(token).toMatch(tokenPattern(kind));
        expect(token.length).toBe(kind.prefix.length + 1 + 36);
        expect(isWellFormed(kind, token)).toBe(true);
        expect(hasPrefix(kind, token)).toBe(true);
      },
    );

    it('never repeats (CSPRNG)', () => {
      const tokens = new Set(Array.from({ length: 2000 }, () => generateToken(B)));
      expect(tokens.size).toBe(2000);
    });
  });

  describe('tokenPattern', () => {
    it('is anchored and refuses other prefixes, lengths and characters', () => {
      const pattern = tokenPattern(A);
      const good = generateToken(A);
      expect(pattern.test(`x${good}`)).toBe(false);
      expect(pattern.test(`${good}x`)).toBe(false);
      expect(pattern.test(good.slice(0, -1))).toBe(false);
      expect(pattern.test(good.replace('tsta_', 'tst_'))).toBe(false);
      expect(pattern.test(`${good.slice(0, -1)}-`)).toBe(false);
    });
  });

  describe('isWellFormed', () => {
    it('rejects a one-character change anywhere in the body (checksum)', () => {
      const token = generateToken(A);
      const start = A.prefix.length + 1;
      for (let i = start; i < token.length; i++) {
        expect({ i, ok: isWellFormed(A, mutate(token, i)) }).toEqual({ i, ok: false });
      }
    });

    it('rejects a token of another kind, and garbage', () => {
      expect(isWellFormed(A, generateToken(B))).toBe(false);
      for (const junk of ['', 'tsta_', 'tsta_short', 'Bearer tsta_x', 'tsta_' + 'a'.repeat(36)]) {
        expect(isWellFormed(A, junk)).toBe(false);
      }
    });
  });

  describe('defineTokenKind', () => {
    it.each(['', 'a', 'GHX', 'gh_x', 'gh1', 'abcdefghijk'])('refuses the prefix %j (2 to 10 lowercase letters)', (prefix) => {
      expect(() => defineTokenKind(prefix, 'bad')).toThrow(/lowercase letters/);
    });
  });

  describe('prefixOf', () => {
    it('is the lowercase letters before the first underscore', () => {
      expect(prefixOf(generateToken(A))).toBe('tsta');
      expect(prefixOf(generateToken(B))).toBe('tstbb');
      expect(prefixOf('tc_anything')).toBe('tc');
    });

    it.each(['', 'nounderscore', '_x', 'x_y', 'Tsta_x', 'ts1_x', 'abcdefghijk_x', 'eyJhbGciOiJSUzI1NiJ9.e30.sig', 'a.b_c'])(
      'is undefined for %j',
      (token) => {
        expect(prefixOf(token)).toBeUndefined();
      },
    );
  });

  describe('hashToken', () => {
    it('is the hex SHA-256 of the token', () => {
      expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('is deterministic, 64 hex characters, and differs for different tokens', () => {
      const token = generateToken(C);
      expect(hashToken(token)).toBe(hashToken(token));
      expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
      expect(hashToken(token)).not.toBe(hashToken(mutate(token, token.length - 1)));
    });
  });

  describe('deriveToken', () => {
    const k1 = new Uint8Array(32).fill(1);
    const k2 = new Uint8Array(32).fill(2);

    it('is a well-formed token of its kind, the same for the same key, label and input', () => {
      const input = generateToken(C);
      const t = deriveToken(C, k1, 'refresh', input);
      expect(isWellFormed(C, t)).toBe(true);
      expect(deriveToken(C, k1, 'refresh', input)).toBe(t);
    });

    it('differs with another key, label or input', () => {
      const input = generateToken(C);
      const t = deriveToken(B, k1, 'access', input);
      expect(deriveToken(B, k2, 'access', input)).not.toBe(t);
      expect(deriveToken(B, k1, 'other', input)).not.toBe(t);
      expect(deriveToken(B, k1, 'access', generateToken(C))).not.toBe(t);
    });
  });

  describe('constantTimeEquals', () => {
    it('compares strings of any length', () => {
      expect(constantTimeEquals('abc', 'abc')).toBe(true);
      expect(constantTimeEquals('abc', 'abd')).toBe(false);
      expect(constantTimeEquals('abc', 'abcd')).toBe(false);
      expect(constantTimeEquals('', '')).toBe(true);
    });
  });

  describe('redactToken', () => {
    it('keeps the prefix and the last four characters only', () => {
      const token = generateToken(A);
      const shown = redactToken(token);
      expect(shown).toBe(`tsta_…${token.slice(-4)}`);
      expect(shown).not.toContain(token.slice(5, -4));
    });
  });
});
