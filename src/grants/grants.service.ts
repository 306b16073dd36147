import { reuseDetected } from '../metrics/metrics';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessTokenService } from '../access-tokens/access-token.service';
import { Grant } from './grant.entity';
import { RefreshTokensService } from './refresh-tokens.service';

export type GrantRevocationReason = 'refresh_reuse' | 'code_reuse' | 'user_revoked' | 'client_revoked' | 'admin_revoked';

/**
 * Refresh-token families (one per redeemed authorization code). Revoking a family ends its
 * live refresh token and every access token issued from it, and nothing else.
 */
@Injectable()
export class GrantsService {
  constructor(
    @InjectRepository(Grant) private readonly grants: Repository<Grant>,
    private readonly refreshTokens: RefreshTokensService,
    private readonly accessTokens: AccessTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a family; its absolute end is fixed now, whatever rotations follow. */
  async start(userId: string, clientId: string, scopes: readonly string[]): Promise<Grant> {
    const now = new Date();
    const grant = this.grants.create({
      id: randomUUID(),
      userId,
      clientId,
      scopes: [...scopes],
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.codeFlow.refreshAbsoluteMs),
      revokedAt: null,
      revokedReason: null,
    });
    await this.grants.insert(grant);
    return grant;
  }

  findById(id: string): Promise<Grant | null> {
    return this.grants.findOneBy({ id });
  }

  async isRevoked(id: string): Promise<boolean> {
    return (await this.findById(id))?.revokedAt != null;
  }

  /** Marks the family revoked (first reason wins) and ends its tokens. */
  async revoke(id: string, reason: GrantRevocationReason): Promise<void> {
    await this.grants.update({ id, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
    await this.endTokensOf(id);
    if (reason === 'refresh_reuse' || reason === 'code_reuse') reuseDetected.inc({ kind: reason });
  }

  /**
   * Ends every token of the family. Also run by a request that issued tokens while a
   * concurrent one revoked the family, so no token issued into a revoked family stays live.
   */
  async endTokensOf(id: string): Promise<void> {
    await this.refreshTokens.revokeFamily(id);
    await this.accessTokens.revokeByGrant(id);
  }

  /** The user's families that are neither revoked nor past their absolute end (admin credentials view). */
  listLiveForUser(userId: string): Promise<Grant[]> {
    return this.grants.find({ where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
  }

  /** Every live family of the user, with every client (incident response). Returns how many. */
  async revokeAllForUser(userId: string, reason: GrantRevocationReason): Promise<number> {
    const live = await this.grants.findBy({ userId, revokedAt: IsNull() });
    for (const grant of live) await this.revoke(grant.id, reason);
    return live.length;
  }

  countLive(): Promise<number> {
    return this.grants.countBy({ revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /** Every family of this user with this client (the user revoked the app). Returns how many were live. */
  async revokeAllFor(userId: string, clientId: string, reason: GrantRevocationReason): Promise<number> {
    const families = await this.grants.findBy({ userId, clientId });
    let live = 0;
    for (const grant of families) {
      if (grant.revokedAt === null) live++;
      await this.revoke(grant.id, reason);
    }
    return live;
  }
}
