import { isWellFormedS256Challenge, isWellFormedVerifier, s256Challenge, verifyS256 } from '../../src/grants/pkce';

describe('PKCE S256 (RFC 7636)', () => {
  it('RFC 7636 Appendix B: computes the example challenge from the example verifier', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('RFC 7636 §4.6: accepts the matching verifier', () => {
    expect(verifyS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
  });

  it('RFC 7636 §4.6: refuses another verifier', () => {
    expect(verifyS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
  });

  it('RFC 7636 §4.6: refuses the challenge itself sent as verifier (what a plain downgrade would try)', () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(verifyS256(challenge, challenge)).toBe(false);
  });

  it.each([
    ['too short (42)', 'a'.repeat(42), false],
    ['shortest (43)', 'a'.repeat(43), true],
    ['longest (128)', 'a'.repeat(128), true],
    ['too long (129)', 'a'.repeat(129), false],
    ['unreserved punctuation', `${'a'.repeat(40)}-._~`, true],
    ['a character outside the unreserved set', `${'a'.repeat(42)}+`, false],
  ])('RFC 7636 §4.1: verifier %s', (_, verifier, ok) => {
    expect(isWellFormedVerifier(verifier)).toBe(ok);
    if (!ok) expect(verifyS256(verifier, s256Challenge(verifier))).toBe(false);
  });

  it('RFC 7636 §4.2: an S256 challenge is 43 base64url characters', () => {
    expect(isWellFormedS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(isWellFormedS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c')).toBe(false);
    expect(isWellFormedS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=')).toBe(false);
  });
});
