import { Inject, Injectable } from '@nestjs/common';
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Client } from '../clients/client.entity';
import { JWT_SIGNING_ALGS } from '../clients/client-types';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import type { AccessToken } from './access-token.entity';

/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const AT_JWT_TYP = 'at+jwt';
/** Three base64url segments, a JSON header first: the shape of a JWS compact serialization. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The claims of a verified Gatehouse JWT access token (RFC 9068 §2.2). */
export interface AccessTokenClaims extends JWTPayload {
  jti: string;
  sub: string;
  client_id: string;
  scope: string;
  act?: { sub: string };
}

/**
 * Signs and verifies JWT access tokens (RFC 9068) with jose. Every claim comes from the stored
 * access-token row, so a token can be signed again identically (graceful refresh rotation).
 */
@Injectable()
export class JwtAccessTokensService {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Gatehouse's own API as an audience: the default `aud`, and the one its guard accepts. */
  get ownAudience(): string {
    return this.config.issuer;
  }

  static looksLikeJwt(token: string): boolean {
    return JWT_SHAPE.test(token);
  }

  /** Signs the row as an RFC 9068 token with the client's algorithm and the current key. */
  async sign(row: AccessToken, jti: string, client: Client, act?: { sub: string }): Promise<string> {
    const { kid, key } = await this.keys.signingKey(client.accessTokenAlg);
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    return new SignJWT({ client_id: row.clientId, scope: row.scopes.join(' '), ...(act ? { act } : {}) })
      .setProtectedHeader({ alg: client.accessTokenAlg, kid, typ: AT_JWT_TYP })
      .setIssuer(this.config.issuer)
      .setSubject(row.userId ?? row.clientId)
      .setAudience(row.audience ?? this.ownAudience)
      .setIssuedAt(seconds(row.createdAt))
      .setNotBefore(seconds(row.createdAt))
      .setExpirationTime(seconds(row.expiresAt))
      .setJti(jti)
      .sign(key);
  }

  /**
   * The claims of a token Gatehouse signed: signature by a published key, `typ` at+jwt, `iss`,
   * `exp`/`nbf`, and `aud` when one is given (RFC 9068 §4). Null for anything else; revocation
   * is the caller's check (by `jti`).
   */
  async verify(token: string, audience?: string): Promise<AccessTokenClaims | null> {
    if (!JwtAccessTokensService.looksLikeJwt(token)) return null;
    try {
      const { kid } = decodeProtectedHeader(token);
      const keySet = await this.keys.verificationKeys(kid);
      const { payload } = await jwtVerify(token, keySet, {
        issuer: this.config.issuer,
        typ: AT_JWT_TYP,
        algorithms: [...JWT_SIGNING_ALGS],
        ...(audience ? { audience } : {}),
        requiredClaims: ['jti', 'sub', 'exp', 'client_id'],
      });
      return typeof payload.jti === 'string' && typeof payload.client_id === 'string' ? (payload as AccessTokenClaims) : null;
    } catch {
      return null;
    }
  }
}
