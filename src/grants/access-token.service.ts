import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import type { Client } from '../clients/client.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import { AccessToken } from './access-token.entity';

export interface IssueAccessToken {
  client: Client;
  /** The user the token acts for; omitted when the client acts as itself. */
  user?: { id: string };
  scopes: readonly string[];
  /** The code-flow grant (family) the token belongs to. */
  grantId?: string;
}

export type LiveAccessToken = AccessToken & { client: Client & { owner: User }; user: User | null };

/** OAuth access tokens: issued, looked up by hash on the hot path, revoked. */
@Injectable()
export class AccessTokenService {
  constructor(
    @InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.oauth.accessTokenTtlSeconds;
  }

  /** Returns the plaintext token once; only its hash is stored. Pass `tx` to issue inside a transaction. */
  async issue(input: IssueAccessToken, tx?: EntityManager): Promise<{ token: string; row: AccessToken; expiresIn: number }> {
    const repo = tx ? tx.getRepository(AccessToken) : this.tokens;
    const token = generateToken('accessToken');
    const now = new Date();
    const expiresIn = this.ttlSeconds;
    const row = await repo.save(
      repo.create({
        tokenHash: hashToken(token),
        clientId: input.client.clientId,
        userId: input.user?.id ?? null,
        grantId: input.grantId ?? null,
        scopes: [...input.scopes],
        createdAt: now,
        expiresAt: new Date(now.getTime() + expiresIn * 1000),
        revokedAt: null,
      }),
    );
    return { token, row, expiresIn };
  }

  /**
   * Issues the access token whose plaintext the caller derived (graceful refresh rotation), or
   * finds it when a concurrent request already did: insert-or-ignore on the unique hash, then
   * one lookup, so every caller gets the one row. Returns null if that row is no longer live.
   */
  async issueOrFind(input: IssueAccessToken, token: string): Promise<{ row: AccessToken; expiresIn: number } | null> {
    const now = new Date();
    const tokenHash = hashToken(token);
    await this.tokens
      .createQueryBuilder()
      .insert()
      .into(AccessToken)
      .values({
        id: randomUUID(),
        tokenHash,
        clientId: input.client.clientId,
        userId: input.user?.id ?? null,
        grantId: input.grantId ?? null,
        scopes: [...input.scopes],
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
        revokedAt: null,
      })
      .orIgnore()
      .execute();
    return this.findLiveInGrant(tokenHash, input.grantId ?? null);
  }

  /** The live token with this hash in this family (or with no family), with seconds left. */
  async findLiveInGrant(tokenHash: string, grantId: string | null): Promise<{ row: AccessToken; expiresIn: number } | null> {
    const row = await this.tokens.findOneBy({ tokenHash, grantId: grantId ?? IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
    return row ? { row, expiresIn: Math.max(1, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000)) } : null;
  }

  /**
   * The hot path: format and checksum check (no I/O for junk), then one indexed lookup by hash
   * joined with the client, its owner and the user. No cache, so a revocation holds at once.
   * Null for anything not live, or whose client, owner or user is no longer active.
   */
  async authenticate(token: string): Promise<LiveAccessToken | null> {
    if (!isWellFormed('accessToken', token)) return null;
    const row = await this.findActiveByHash(hashToken(token));
    if (!row?.client?.owner || row.client.status !== 'active' || row.client.owner.status !== 'active') return null;
    if (row.userId && row.user?.status !== 'active') return null;
    return row as LiveAccessToken;
  }

  findActiveByHash(tokenHash: string): Promise<AccessToken | null> {
    return this.tokens.findOne({
      where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      relations: { client: { owner: true }, user: true },
    });
  }

  /** RFC 7009 §2.1: revokes the token only if it was issued to `clientId`. True when one was revoked. */
  async revokeForClient(token: string, clientId: string): Promise<boolean> {
    if (!isWellFormed('accessToken', token)) return false;
    const res = await this.tokens.update({ tokenHash: hashToken(token), clientId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  async revoke(id: string): Promise<void> {
    await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Access tokens of every client that are neither revoked nor expired (admin dashboard). */
  countLive(): Promise<number> {
    return this.tokens.countBy({ revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /** Every live access token of a code-flow grant (family revocation). */
  async revokeByGrant(grantId: string, tx?: EntityManager): Promise<number> {
    const repo = tx ? tx.getRepository(AccessToken) : this.tokens;
    const res = await repo.update({ grantId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }
}
