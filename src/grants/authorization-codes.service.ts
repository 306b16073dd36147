import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthorizationCode } from './authorization-code.entity';
import type { AuthorizationRequest } from '../authorization/dto/authorization-request';
import { AUTHORIZATION_CODE } from './grant.token-kinds';

/** Issues, finds and spends single-use authorization codes (RFC 6749 §4.1.2, §10.5). */
@Injectable()
export class AuthorizationCodesService {
  constructor(
    @InjectRepository(AuthorizationCode) private readonly codes: Repository<AuthorizationCode>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new code for an approved request. Returns the plaintext once; only its hash is stored. */
  async issue(request: AuthorizationRequest, userId: string, scopes: readonly string[]): Promise<string> {
    const code = generateToken(AUTHORIZATION_CODE);
    const now = new Date();
    await this.codes.insert({
      codeHash: hashToken(code),
      clientId: request.client.clientId,
      userId,
      redirectUri: request.redirectUri,
      redirectUriGiven: request.redirectUriGiven,
      scopes: [...scopes],
      codeChallenge: request.codeChallenge,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.codeFlow.codeTtlMs),
      consumedAt: null,
      grantId: null,
    });
    return code;
  }

  /** The stored code, spent or not; null for anything malformed or unknown. */
  findByCode(code: string): Promise<AuthorizationCode | null> {
    if (!isWellFormed(AUTHORIZATION_CODE, code)) return Promise.resolve(null);
    return this.codes.findOneBy({ codeHash: hashToken(code) });
  }

  /**
   * Spends the code for the token family `grantId`. A conditional update, so of two
   * concurrent redemptions exactly one wins (on SQLite and MySQL alike, no row lock needed).
   */
  async consume(codeId: string, grantId: string): Promise<boolean> {
    const res = await this.codes.update({ id: codeId, consumedAt: IsNull() }, { consumedAt: new Date(), grantId });
    return (res.affected ?? 0) > 0;
  }

  /** The family the winning redemption created (read after losing the race for the code). */
  async grantIdOf(codeId: string): Promise<string | null> {
    return (await this.codes.findOneBy({ id: codeId }))?.grantId ?? null;
  }

  /** Unspent codes of this user for this client stop working (the user revoked the app). */
  async voidPending(userId: string, clientId: string): Promise<void> {
    await this.codes.update({ userId, clientId, consumedAt: IsNull(), expiresAt: MoreThan(new Date()) }, { consumedAt: new Date() });
  }
}
