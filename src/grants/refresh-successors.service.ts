import { Inject, Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { deriveToken } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ACCESS_TOKEN } from '../access-tokens/access-token.token-kind';
import { REFRESH_TOKEN } from './grant.token-kinds';

/** The one successor a refresh token rotates into: the next refresh token and its access token. */
export interface RefreshSuccessor {
  refreshToken: string;
  accessToken: string;
}

/**
 * Graceful rotation without storing plaintext: a refresh token's successor is derived from the
 * presented token with a server key, so every presentation of the same token (a retry after a
 * lost response, parallel refreshes, another instance) computes the same successor and finds
 * it by hash. Nothing but hashes is stored, and only a holder of the predecessor can compute it.
 *
 * The key comes from SESSION_KEYS through HKDF (its own label, so it is never the cookie key);
 * every configured key is tried on a retry, so rotating SESSION_KEYS mid-window is harmless.
 * Instances must share SESSION_KEYS, which they already must for cookies.
 */
@Injectable()
export class RefreshSuccessorsService {
  private readonly keys: Uint8Array[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.session.keys.map(
      (k) => new Uint8Array(hkdfSync('sha256', k, new Uint8Array(0), 'gatehouse refresh successor v1', 32)),
    );
  }

  /** The successor this instance creates when it rotates `refreshToken` (newest key). */
  derive(refreshToken: string): RefreshSuccessor {
    return this.deriveWith(this.keys[0], refreshToken);
  }

  /** The successors any configured key would have created: what a retry looks for. */
  candidates(refreshToken: string): RefreshSuccessor[] {
    return this.keys.map((k) => this.deriveWith(k, refreshToken));
  }

  private deriveWith(key: Uint8Array, refreshToken: string): RefreshSuccessor {
    return {
      refreshToken: deriveToken(REFRESH_TOKEN, key, 'refresh', refreshToken),
      accessToken: deriveToken(ACCESS_TOKEN, key, 'access', refreshToken),
    };
  }
}
