import { Inject, Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { compactDecrypt, CompactEncrypt, decodeProtectedHeader } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** A sealed value could not be opened: wrong key, wrong purpose, tampered or not a JWE at all. */
export class SealedSecretError extends Error {
  constructor(
    readonly purpose: string,
    reason: string,
  ) {
    super(`sealed ${purpose} value cannot be opened: ${reason}`);
  }
}

/**
 * Purposes whose values were sealed before the sealer existed, directly with the configured
 * key and without a `pur` header: such values still open (they are never re-sealed), and only
 * under that purpose. Everything sealed now carries its purpose and a per-purpose key.
 */
const LEGACY_RAW_KEY_PURPOSES = new Set(['signing-key']);

const PURPOSE = /^[a-z][a-z0-9.-]{0,63}$/;
const HKDF_SALT = new TextEncoder().encode('gatehouse secret sealer v1');

/**
 * Seals secrets at rest (signing keys, TOTP secrets, upstream client secrets…) as compact JWE
 * (RFC 7516 §7.1) with `alg: dir`, `enc: A256GCM` (RFC 7518 §4.5, §5.3), under a key derived
 * for each purpose with HKDF-SHA256 (RFC 5869) from the configured `SIGNING_KEYS_ENCRYPTION_KEY`
 * (or its `_FILE`; derived from the session key when neither is set).
 *
 * The purpose (e.g. `totp-secret`, `sso-client-secret`; lowercase, `[a-z][a-z0-9.-]{0,63}`)
 * selects the key and is written into the protected header as `pur`, which AES-GCM
 * authenticates: a value sealed for one purpose cannot be opened as another (a different key,
 * and the header check gives a clear error). Pass `context` (e.g. a row or user id) to bind a
 * value to its owner too: it is mixed into the key derivation, so a sealed value copied to another row
 * will not open there.
 *
 * API:
 * - `seal(purpose, plaintext, context?)` → `Promise<string>` (the compact JWE, ASCII, ~1.4×
 *   the plaintext plus ~90 characters). `plaintext` is a string (UTF-8) or bytes.
 * - `open(purpose, sealed, context?)` → `Promise<Uint8Array>`; `openText(…)` → `Promise<string>`.
 *   Both reject with {@link SealedSecretError} (never a jose error) when the value is not a JWE, was
 *   sealed for another purpose or context, under another key, or was altered.
 *
 * Values sealed by the signing keys before this class existed (no `pur`, the raw configured
 * key) still open under the `signing-key` purpose only.
 */
@Injectable()
export class SecretSealer {
  private readonly keys = new Map<string, Uint8Array>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async seal(purpose: string, plaintext: string | Uint8Array, context = ''): Promise<string> {
    const bytes = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext;
    return new CompactEncrypt(bytes)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', pur: purpose })
      .encrypt(this.keyFor(purpose, context));
  }

  async open(purpose: string, sealed: string, context = ''): Promise<Uint8Array> {
    let pur: unknown;
    try {
      pur = decodeProtectedHeader(sealed).pur;
    } catch {
      throw new SealedSecretError(purpose, 'not a compact JWE');
    }
    let key: Uint8Array;
    if (pur === undefined && LEGACY_RAW_KEY_PURPOSES.has(purpose) && context === '') {
      key = this.config.jwt.keyEncryptionKey;
    } else if (pur === purpose) {
      key = this.keyFor(purpose, context);
    } else {
      throw new SealedSecretError(purpose, 'sealed for another purpose');
    }
    try {
      return (await compactDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] })).plaintext;
    } catch {
      throw new SealedSecretError(purpose, 'wrong key or context, or altered');
    }
  }

  async openText(purpose: string, sealed: string, context = ''): Promise<string> {
    return new TextDecoder().decode(await this.open(purpose, sealed, context));
  }

  private keyFor(purpose: string, context: string): Uint8Array {
    if (!PURPOSE.test(purpose)) throw new Error(`invalid sealing purpose ${JSON.stringify(purpose)}`);
    const info = `${purpose}\u0000${context}`;
    let key = this.keys.get(info);
    if (!key) {
      key = new Uint8Array(hkdfSync('sha256', this.config.jwt.keyEncryptionKey, HKDF_SALT, info, 32));
      // Per-context keys are cheap to derive; only per-purpose ones are worth keeping.
      if (context === '') this.keys.set(info, key);
    }
    return key;
  }
}
