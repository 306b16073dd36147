import {
  formatUserCode,
  generateUserCode,
  hashUserCode,
  normaliseUserCode,
  USER_CODE_ALPHABET,
} from '../../src/device-authorization/user-code';

describe('device user codes (RFC 8628 §6.1)', () => {
  it('RFC 8628 §6.1: draws 8 characters from the 20 consonants, no look-alikes, no vowels', () => {
    expect(USER_CODE_ALPHABET).toBe('BCDFGHJKLMNPQRSTVWXZ');
    const codes = Array.from({ length: 200 }, generateUserCode);
    for (const c of codes) expect(c).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(new Set(codes).size).toBe(200);
  });

  it('RFC 8628 §6.1: shows the code as XXXX-XXXX', () => {
    expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });

  it('RFC 8628 §6.1: reads the code case-insensitively, with or without the dash or spaces', () => {
    for (const typed of ['BCDF-GHJK', 'bcdf-ghjk', 'bcdfghjk', ' bcdf ghjk ', 'Bc-Df-Gh-Jk'])
      expect(normaliseUserCode(typed)).toBe('BCDFGHJK');
  });

  it('refuses what cannot be a code: other letters, digits, wrong length, non-strings, very long input', () => {
    for (const typed of ['BCDF-GHJA', 'BCDF-GHJ0', 'BCDF-GHJ', 'BCDF-GHJKL', '', 'X'.repeat(40), 42, null, undefined, ['BCDFGHJK']]) {
      expect(normaliseUserCode(typed)).toBeNull();
    }
  });

  it('hashes the normalised code (what the database stores), never the code itself', () => {
    expect(hashUserCode('BCDFGHJK')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashUserCode('BCDFGHJK')).not.toBe(hashUserCode('BCDFGHJL'));
  });
});
