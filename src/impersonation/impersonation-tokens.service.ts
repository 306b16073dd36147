import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { keysetPage, type Page, type PageRequest } from '../common/keyset';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import type { User } from '../users/user.entity';
import { ImpersonationToken } from './impersonation-token.entity';
import { IMPERSONATION_TOKEN } from './impersonation.token-kind';

export interface IssueImpersonationToken {
  subjectUserId: string;
  actorUserId: string;
  clientId: string | null;
  scopes: readonly string[];
  reason: string | null;
  ttlSeconds: number;
}

type PrincipalColumns = Pick<User, 'id' | 'email' | 'displayName' | 'roles' | 'status' | 'kind' | 'credentialsRevokedAt'>;

/** What the hot path loads: the token's columns, and only the subject's and actor's columns it needs. */
export type LiveImpersonationToken = Pick<
  ImpersonationToken,
  'id' | 'subjectUserId' | 'actorUserId' | 'clientId' | 'scopes' | 'createdAt' | 'expiresAt'
> & {
  subject: PrincipalColumns;
  actor: PrincipalColumns;
};

/** The `impersonation_tokens` table: issue, look up by hash, list and revoke. */
@Injectable()
export class ImpersonationTokensService {
  constructor(@InjectRepository(ImpersonationToken) private readonly tokens: Repository<ImpersonationToken>) {}

  /** Returns the plaintext once; only its SHA-256 is stored. */
  async issue(input: IssueImpersonationToken): Promise<{ token: string; row: ImpersonationToken }> {
    const token = generateToken(IMPERSONATION_TOKEN);
    const now = new Date();
    const row = await this.tokens.save(
      this.tokens.create({
        tokenHash: hashToken(token),
        subjectUserId: input.subjectUserId,
        actorUserId: input.actorUserId,
        clientId: input.clientId,
        scopes: [...input.scopes],
        reason: input.reason,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
        revokedAt: null,
      }),
    );
    return { token, row };
  }

  /**
   * The hot path: format and checksum (no I/O for junk), then one query by the unique hash index
   * joined with the subject's and the actor's principal columns. Null when malformed, unknown,
   * revoked or expired; the caller checks the users.
   */
  async findLive(plaintext: string): Promise<LiveImpersonationToken | null> {
    if (!isWellFormed(IMPERSONATION_TOKEN, plaintext)) return null;
    const userColumns = (alias: string) =>
      ['id', 'email', 'displayName', 'roles', 'status', 'kind', 'credentialsRevokedAt'].map((c) => `${alias}.${c}`);
    return (await this.tokens
      .createQueryBuilder('t')
      .innerJoin('t.subject', 's')
      .innerJoin('t.actor', 'a')
      .select(['t.id', 't.subjectUserId', 't.actorUserId', 't.clientId', 't.scopes', 't.createdAt', 't.expiresAt'])
      .addSelect([...userColumns('s'), ...userColumns('a')])
      .where('t.token_hash = :tokenHash', { tokenHash: hashToken(plaintext) })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('t.expires_at > :now', { now: new Date() })
      .getOne()) as LiveImpersonationToken | null;
  }

  /** Live tokens (not revoked, not expired), newest first, with both users. */
  /** One keyset page of live tokens (any subject), newest first, with subject and actor. */
  listLive(page: PageRequest): Promise<Page<ImpersonationToken>> {
    const qb = this.tokens
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.subject', 'subject')
      .leftJoinAndSelect('t.actor', 'actor')
      .where('t.revoked_at IS NULL AND t.expires_at > :now', { now: new Date() });
    return keysetPage(qb, { time: 't.created_at', id: 't.id' }, page, (t) => ({ time: t.createdAt, id: t.id }));
  }

  /** Live tokens acting as this user (admin credential listings). */
  listLiveForSubject(userId: string): Promise<ImpersonationToken[]> {
    return this.tokens.find({
      where: { subjectUserId: userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
  }

  /**
   * Revokes one token at once; false when unknown or already revoked. With the two below, the
   * only revocation paths (a credential cache hooks in here).
   */
  async revoke(id: string, subjectUserId?: string): Promise<boolean> {
    const res = await this.tokens.update(
      { id, revokedAt: IsNull(), ...(subjectUserId ? { subjectUserId } : {}) },
      { revokedAt: new Date() },
    );
    return (res.affected ?? 0) > 0;
  }

  /** RFC 7009 §2.1: revokes only if issued to `clientId`. */
  async revokeForClient(plaintext: string, clientId: string): Promise<boolean> {
    if (!isWellFormed(IMPERSONATION_TOKEN, plaintext)) return false;
    const res = await this.tokens.update({ tokenHash: hashToken(plaintext), clientId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  async revokeAllForSubject(userId: string): Promise<number> {
    const res = await this.tokens.update({ subjectUserId: userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }

  countLive(): Promise<number> {
    return this.tokens.countBy({ revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }
}
