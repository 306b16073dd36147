import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, MoreThan, Repository } from 'typeorm';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { Grant } from './grant.entity';
import { RefreshToken } from './refresh-token.entity';
import { REFRESH_TOKEN } from './grant.token-kinds';

/** Refresh tokens: issued into a family, rotated once each, revoked with their family. */
@Injectable()
export class RefreshTokensService {
  constructor(
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new refresh token of the family. It lives for the idle lifetime, but never past the
   * family's absolute end: rotation does not extend the family. Returns the plaintext once.
   */
  async issue(grant: Grant): Promise<string> {
    const token = generateToken(REFRESH_TOKEN);
    const now = new Date();
    const idleEnd = now.getTime() + this.config.codeFlow.refreshIdleMs;
    await this.tokens.insert({
      tokenHash: hashToken(token),
      grantId: grant.id,
      clientId: grant.clientId,
      createdAt: now,
      expiresAt: new Date(Math.min(idleEnd, grant.expiresAt.getTime())),
      rotatedAt: null,
      revokedAt: null,
    });
    return token;
  }

  /**
   * Issues the successor whose plaintext the caller derived (graceful rotation), or leaves the
   * row a concurrent request already inserted: insert-or-ignore on the unique hash, so a family
   * never gets two successors of one token.
   */
  async issueOrKeep(grant: Grant, token: string): Promise<void> {
    const now = new Date();
    await this.tokens
      .createQueryBuilder()
      .insert()
      .into(RefreshToken)
      .values({
        id: randomUUID(),
        tokenHash: hashToken(token),
        grantId: grant.id,
        clientId: grant.clientId,
        createdAt: now,
        expiresAt: new Date(Math.min(now.getTime() + this.config.codeFlow.refreshIdleMs, grant.expiresAt.getTime())),
        rotatedAt: null,
        revokedAt: null,
      })
      .orIgnore()
      .execute();
  }

  /**
   * Of these candidate tokens, the one that is live in the family: not rotated (once the
   * successor has been used, its predecessor's grace is over), not revoked, not expired.
   */
  findLiveInFamily(tokens: readonly string[], grantId: string): Promise<RefreshToken | null> {
    return this.tokens.findOneBy({
      tokenHash: In(tokens.map(hashToken)),
      grantId,
      rotatedAt: IsNull(),
      revokedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
  }

  /** The stored token, live or not; null for anything malformed or unknown. */
  findByToken(token: string): Promise<RefreshToken | null> {
    if (!isWellFormed(REFRESH_TOKEN, token)) return Promise.resolve(null);
    return this.tokens.findOneBy({ tokenHash: hashToken(token) });
  }

  /**
   * Rotates the token out. A conditional update, so of concurrent uses of one token exactly
   * one gets true (correct on SQLite and MySQL without row locks); every other use is reuse.
   */
  async rotate(id: string): Promise<boolean> {
    const res = await this.tokens.update({ id, rotatedAt: IsNull(), revokedAt: IsNull() }, { rotatedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  async revokeFamily(grantId: string): Promise<number> {
    const res = await this.tokens.update({ grantId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }
}
