import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { freePort, startTestApp, TestApp } from './test-app';

/** The RP ID of a passkey test app: WebAuthn needs a domain, so the app's PUBLIC_URL is http://localhost:<port>. */
export const PASSKEY_RP_ID = 'localhost';

/** The app on a reserved port with PUBLIC_URL `http://localhost:<port>` (its origin is what responses must name). */
export async function startPasskeyTestApp(env: Record<string, string> = {}): Promise<{ t: TestApp; origin: string }> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  return { t: await startTestApp({ PUBLIC_URL: origin, ...env }, { port }), origin };
}

const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

/** Authenticator data flags (WebAuthn §6.1). */
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

/** What a test can bend in a ceremony (to produce a response the server must refuse). */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  /** A credential id other than the one created (registration) or chosen (sign-in). */
  credentialId?: Buffer;
  /** Sign-in: the counter to report (the default adds one to the last). */
  counter?: number;
  userVerified?: boolean;
  /** Sign-in: the user handle to report (base64url), or null to send none. */
  userHandle?: string | null;
}

/**
 * A software authenticator for e2e tests: ES256 (P-256) credentials, `none` attestation, the
 * byte layouts of WebAuthn §6.1 and §6.5, encoded with @simplewebauthn's own CBOR helper. It
 * produces the JSON that @simplewebauthn/browser's startRegistration/startAuthentication would,
 * so the server checks real signatures. Not an authenticator for anything but tests.
 */
export class SoftAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(
    private readonly rpId: string,
    private readonly origin: string,
    private readonly opts: { backupEligible?: boolean; userVerified?: boolean; counterStart?: number } = {},
  ) {}

  private flags(uv: boolean, extra = 0): number {
    const be = this.opts.backupEligible ? BE | BS : 0;
    return UP | (uv ? UV : 0) | be | extra;
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  createCredential(options: PublicKeyCredentialCreationOptionsJSON, o: CeremonyOverrides = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = o.credentialId ?? randomBytes(16);
    const counter = this.opts.counterStart ?? 0;
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const authData = Buffer.concat([
      sha256(o.rpId ?? this.rpId),
      Buffer.from([this.flags(o.userVerified ?? this.opts.userVerified ?? true, AT)]),
      count,
      Buffer.alloc(16),
      idLen,
      id,
      Buffer.from(cose),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    this.credentials.push({ id, privateKey, userHandle: options.user.id, counter });
    return {
      id: b64(id),
      rawId: b64(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64(this.clientData('webauthn.create', o.challenge ?? options.challenge, o.origin ?? this.origin)),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** An assertion with the first (or the given) credential this authenticator holds. */
  getAssertion(options: PublicKeyCredentialRequestOptionsJSON, o: CeremonyOverrides & { use?: number } = {}): AuthenticationResponseJSON {
    const cred = this.credentials[o.use ?? 0];
    if (!cred) throw new Error('the soft authenticator has no credential');
    cred.counter = o.counter ?? cred.counter + 1;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(cred.counter);
    const authData = Buffer.concat([
      sha256(o.rpId ?? this.rpId),
      Buffer.from([this.flags(o.userVerified ?? this.opts.userVerified ?? true)]),
      count,
    ]);
    const clientDataJSON = this.clientData('webauthn.get', o.challenge ?? options.challenge, o.origin ?? this.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), cred.privateKey);
    const id = o.credentialId ?? cred.id;
    const userHandle = o.userHandle === undefined ? cred.userHandle : o.userHandle;
    return {
      id: b64(id),
      rawId: b64(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        ...(userHandle !== null ? { userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
