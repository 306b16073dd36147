import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { JWT_SIGNING_ALGS, type JwtSigningAlg } from '../clients/client-types';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { identityClaims, type ClaimSource } from './identity-claims';
import { subjectOf } from './subject-identifiers';

/** id_tokens live this long (seconds): a sign-in proof, not an API credential. */
export const ID_TOKEN_TTL_SECONDS = 3600;
/** Three base64url segments, a JSON header first: a JWS compact serialization. */
const JWS_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Everything an id_token is made of (Core §2, §3.1.3.6). */
export interface IdTokenInput {
  clientId: string;
  alg: JwtSigningAlg;
  user: ClaimSource;
  scopes: readonly string[];
  authTime: Date;
  amr: readonly string[] | null;
  acr: string | null;
  /** The session id (Back-Channel Logout §2.1 `sid`). */
  sid: string;
  /** Only in the id_token of the code redemption (Core §12.2: a refresh's id_token carries none). */
  nonce?: string | null;
  /** The access token issued with it: `at_hash` (Core §3.1.3.6). */
  accessToken?: string;
  /** RFC 8693 §4.1 actor, for impersonation. */
  act?: { sub: string };
}

/**
 * Signs and verifies OpenID Connect id_tokens (Core §2) with the JWKS keys (SigningKeysService),
 * ES256 by default, RS256 per client (`id_token_signed_response_alg`). All JOSE work is jose's.
 */
@Injectable()
export class IdTokensService {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A signed id_token: iss, sub, aud (= client_id), azp, exp, iat, auth_time, sid, and nonce/at_hash/amr/acr/act when set. */
  async sign(input: IdTokenInput): Promise<string> {
    const { kid, key } = await this.keys.signingKey(input.alg);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ...identityClaims(input.user, input.scopes),
      azp: input.clientId,
      auth_time: Math.floor(input.authTime.getTime() / 1000),
      sid: input.sid,
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ...(input.accessToken ? { at_hash: tokenHash(input.accessToken) } : {}),
      ...(input.amr && input.amr.length > 0 ? { amr: [...input.amr] } : {}),
      ...(input.acr ? { acr: input.acr } : {}),
      ...(input.act ? { act: input.act } : {}),
    })
      .setProtectedHeader({ alg: input.alg, kid, typ: 'JWT' })
      .setIssuer(this.config.issuer)
      .setSubject(subjectOf(input.user))
      .setAudience(input.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + ID_TOKEN_TTL_SECONDS)
      .sign(key);
  }

  /**
   * An `id_token_hint` (Core §3.1.2.1, RP-Initiated Logout §2): an id_token this issuer signed,
   * expired or not (a hint outlives its token). Null for anything else: not a JWS, another
   * issuer's, a bad signature, no `sub` or `aud`.
   */
  async verifyHint(token: string): Promise<(JWTPayload & { sub: string; aud: string | string[] }) | null> {
    if (token.length > 8192 || !JWS_SHAPE.test(token)) return null;
    try {
      const { kid } = decodeProtectedHeader(token);
      const keySet = await this.keys.verificationKeys(kid);
      const { payload } = await jwtVerify(token, keySet, {
        issuer: this.config.issuer,
        // Not a JWT access token (`at+jwt`, RFC 9068): only id_tokens are hints.
        typ: 'JWT',
        algorithms: [...JWT_SIGNING_ALGS],
        // Expired hints are still hints: their signature says who they were for.
        currentDate: new Date(0),
        requiredClaims: ['sub', 'aud'],
      });
      return payload as JWTPayload & { sub: string; aud: string | string[] };
    } catch {
      return null;
    }
  }
}

/** Core §3.1.3.6: base64url of the left half of SHA-256 (both ES256 and RS256 hash with SHA-256). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest().subarray(0, 16).toString('base64url');
}
