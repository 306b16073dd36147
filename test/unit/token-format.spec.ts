import {
  constantTimeEquals,
  deriveToken,
  generateToken,
  hashToken,
  hasPrefix,
  isWellFormed,
  redactToken,
  TOKEN_PREFIX,
  TokenKind,
  tokenPattern,
} from '../../src/auth/token-format';

const KINDS = Object.keys(TOKEN_PREFIX) as TokenKind[];

/** Changes the character at `index` to another base62 character. */
function mutate(token: string, index: number): string {
  const c = token[index];
  const replacement = c === 'a' ? 'b' : 'a';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('token-format', () => {
  describe('generateToken', () => {
    it.each(KINDS)('%s: prefix, 36 base62 characters, matching its own pattern and checksum', (kind) => {
      const token = generateToken(kind);
      expect(token.startsWith(`${TOKEN_PREFIX[kind]}_`)).toBe(true);
      expect(token).toMatch(tokenPattern(kind));
      expect(token.length).toBe(TOKEN_PREFIX[kind].length + 1 + 36);
      expect(isWellFormed(kind, token)).toBe(true);
      expect(hasPrefix(kind, token)).toBe(true);
    });

    it('never repeats (CSPRNG)', () => {
      const tokens = new Set(Array.from({ length: 2000 }, () => generateToken('accessToken')));
      expect(tokens.size).toBe(2000);
    });
  });

  describe('tokenPattern', () => {
    it('is anchored and refuses other prefixes, lengths and characters', () => {
      const pattern = tokenPattern('personalAccessToken');
      const good = generateToken('personalAccessToken');
      expect(pattern.test(`x${good}`)).toBe(false);
      expect(pattern.test(`${good}x`)).toBe(false);
      expect(pattern.test(good.slice(0, -1))).toBe(false);
      expect(pattern.test(good.replace('ghpat_', 'ghat_'))).toBe(false);
      expect(pattern.test(`${good.slice(0, -1)}-`)).toBe(false);
    });
  });

  describe('isWellFormed', () => {
    it('rejects a one-character change anywhere in the body (checksum)', () => {
      const token = generateToken('session');
      const start = TOKEN_PREFIX.session.length + 1;
      for (let i = start; i < token.length; i++) {
        expect({ i, ok: isWellFormed('session', mutate(token, i)) }).toEqual({ i, ok: false });
      }
    });

    it('rejects a token of another kind, and garbage', () => {
      expect(isWellFormed('session', generateToken('accessToken'))).toBe(false);
      for (const junk of ['', 'ghss_', 'ghss_short', 'Bearer ghss_x', 'ghss_' + 'a'.repeat(36)]) {
        expect(isWellFormed('session', junk)).toBe(false);
      }
    });
  });

  describe('hashToken', () => {
    it('is the hex SHA-256 of the token', () => {
      expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('is deterministic, 64 hex characters, and differs for different tokens', () => {
      const token = generateToken('refreshToken');
      expect(hashToken(token)).toBe(hashToken(token));
      expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
      expect(hashToken(token)).not.toBe(hashToken(mutate(token, token.length - 1)));
    });
  });

  describe('deriveToken', () => {
    const k1 = new Uint8Array(32).fill(1);
    const k2 = new Uint8Array(32).fill(2);

    it('is a well-formed token of its kind, the same for the same key, label and input', () => {
      const input = generateToken('refreshToken');
      const t = deriveToken('refreshToken', k1, 'refresh', input);
      expect(isWellFormed('refreshToken', t)).toBe(true);
      expect(deriveToken('refreshToken', k1, 'refresh', input)).toBe(t);
    });

    it('differs with another key, label or input', () => {
      const input = generateToken('refreshToken');
      const t = deriveToken('accessToken', k1, 'access', input);
      expect(deriveToken('accessToken', k2, 'access', input)).not.toBe(t);
      expect(deriveToken('accessToken', k1, 'other', input)).not.toBe(t);
      expect(deriveToken('accessToken', k1, 'access', generateToken('refreshToken'))).not.toBe(t);
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
      const token = generateToken('clientSecret');
      const shown = redactToken(token);
      expect(shown).toBe(`ghcs_…${token.slice(-4)}`);
      expect(shown).not.toContain(token.slice(5, -4));
    });
  });
});
