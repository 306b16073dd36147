import { randomBytes } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import { SealedSecretError, SecretSealer } from '../../src/common/secret-sealer';
import type { AppConfig } from '../../src/config/app-config';

const sealerWith = (key: Uint8Array) => new SecretSealer({ jwt: { keyEncryptionKey: key } } as AppConfig);

describe('SecretSealer (compact JWE, dir + A256GCM, per-purpose HKDF keys)', () => {
  const key = new Uint8Array(randomBytes(32));
  const sealer = sealerWith(key);

  it('round-trips text and bytes; each seal is fresh (random IV); the plaintext is not visible', async () => {
    const a = await sealer.seal('totp-secret', 'JBSWY3DPEHPK3PXP');
    const b = await sealer.seal('totp-secret', 'JBSWY3DPEHPK3PXP');
    expect(a.split('.')).toHaveLength(5);
    expect(a).not.toEqual(b);
    expect(a).not.toContain('JBSWY3DP');
    expect(await sealer.openText('totp-secret', a)).toBe('JBSWY3DPEHPK3PXP');
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(await sealer.open('sso-client-secret', await sealer.seal('sso-client-secret', bytes))).toEqual(bytes);
  });

  it('a value sealed for one purpose does not open as another, even if the header is rewritten', async () => {
    const sealed = await sealer.seal('totp-secret', 'secret');
    await expect(sealer.open('sso-client-secret', sealed)).rejects.toBeInstanceOf(SealedSecretError);
    await expect(sealer.open('signing-key', sealed)).rejects.toThrow(/another purpose/);
    const [, ...rest] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', pur: 'sso-client-secret' })).toString('base64url');
    await expect(sealer.open('sso-client-secret', [forged, ...rest].join('.'))).rejects.toThrow(/altered/);
  });

  it('binds to a context (an owner id): it opens only with the same one', async () => {
    const sealed = await sealer.seal('totp-secret', 'secret', 'user-1');
    expect(await sealer.openText('totp-secret', sealed, 'user-1')).toBe('secret');
    await expect(sealer.open('totp-secret', sealed, 'user-2')).rejects.toBeInstanceOf(SealedSecretError);
    await expect(sealer.open('totp-secret', sealed)).rejects.toBeInstanceOf(SealedSecretError);
  });

  it('refuses another key, a tampered value and garbage with SealedSecretError', async () => {
    const sealed = await sealer.seal('totp-secret', 'secret');
    await expect(sealerWith(new Uint8Array(randomBytes(32))).open('totp-secret', sealed)).rejects.toBeInstanceOf(SealedSecretError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x'.repeat(6)).toString('base64url');
    await expect(sealer.open('totp-secret', parts.join('.'))).rejects.toBeInstanceOf(SealedSecretError);
    for (const junk of ['', 'not a jwe', 'a.b.c.d.e', 'x'.repeat(10_000)]) {
      await expect(sealer.open('totp-secret', junk)).rejects.toBeInstanceOf(SealedSecretError);
    }
  });

  it('opens signing keys sealed before it existed (raw key, no pur) under signing-key only', async () => {
    const legacy = await new CompactEncrypt(new TextEncoder().encode('{"kty":"EC"}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json' })
      .encrypt(key);
    expect(await sealer.openText('signing-key', legacy)).toBe('{"kty":"EC"}');
    await expect(sealer.open('totp-secret', legacy)).rejects.toBeInstanceOf(SealedSecretError);
  });

  it('rejects a malformed purpose as a programming error', async () => {
    await expect(sealer.seal('Bad Purpose', 'x')).rejects.toThrow(/invalid sealing purpose/);
  });
});
