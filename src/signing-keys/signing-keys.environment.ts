import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigValidationError } from '../config/app-config';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The signing-keys module's environment variables and their validation; the defaults are in `build` below. */
export class SigningKeysEnvironment {
  /** Secret. base64url 32-byte key that seals the JWT signing keys at rest. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'SIGNING_KEYS_ENCRYPTION_KEY must be a base64url 32-byte key (43 characters)' })
  SIGNING_KEYS_ENCRYPTION_KEY?: string;

  /** A file holding SIGNING_KEYS_ENCRYPTION_KEY (e.g. a mounted secret); the variable wins when both are set. */
  @IsOptional()
  @IsString()
  SIGNING_KEYS_ENCRYPTION_KEY_FILE?: string;

  /** A new signing key is created (pre-published) when the newest is this old; 0 = only by `key:rotate`. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  SIGNING_KEY_ROTATION_DAYS?: number;

  /** How long a new signing key is published in the JWKS before it signs. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(604800)
  SIGNING_KEY_PREPUBLISH_SECONDS?: number;
}

/** A key kept in a file (a mounted secret): its trimmed content, which must be base64url 32 bytes. */
function readKeyFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ConfigValidationError(
      `Invalid configuration:\n  - SIGNING_KEYS_ENCRYPTION_KEY_FILE: cannot read ${path} (${(err as Error).message})`,
    );
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) {
    throw new ConfigValidationError(
      'Invalid configuration:\n  - SIGNING_KEYS_ENCRYPTION_KEY_FILE: the file must hold a base64url 32-byte key (43 characters)',
    );
  }
  return text;
}

/** JWT signing keys: their key at rest and rotation. */
export const SIGNING_KEYS_ENVIRONMENT = defineEnvironment({
  module: 'signing-keys',
  schema: SigningKeysEnvironment,
  rows: [
    {
      names: ['SIGNING_KEYS_ENCRYPTION_KEY'],
      secret: true,
      default: 'derived from `SESSION_KEYS`',
      meaning: 'base64url 32-byte key sealing the JWT signing keys at rest',
    },
    {
      names: ['SIGNING_KEYS_ENCRYPTION_KEY_FILE'],
      default: 'unset',
      meaning: 'a file holding that key (a mounted secret); the variable wins',
    },
    {
      names: ['SIGNING_KEY_ROTATION_DAYS'],
      default: '`30`',
      meaning: 'a new signing key is created (pre-published) when the newest is this old; `0` = only `key:rotate`',
    },
    { names: ['SIGNING_KEY_PREPUBLISH_SECONDS'], default: '`3600`', meaning: 'a new signing key is in the JWKS this long before it signs' },
  ],
  build: (env, built) => {
    const keyText = env.SIGNING_KEYS_ENCRYPTION_KEY ?? readKeyFile(env.SIGNING_KEYS_ENCRYPTION_KEY_FILE);
    return {
      jwt: {
        keyEncryptionKey: keyText
          ? new Uint8Array(Buffer.from(keyText, 'base64url'))
          : new Uint8Array(hkdfSync('sha256', built.session.keys[0], new Uint8Array(0), 'gatehouse signing keys at rest v1', 32)),
        rotationMs: (env.SIGNING_KEY_ROTATION_DAYS ?? 30) * 86_400_000,
        prepublishMs: (env.SIGNING_KEY_PREPUBLISH_SECONDS ?? 3600) * 1000,
      },
    };
  },
});
