import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { checkChosenScopes, expiryFrom, isExpiredAt, recordUse } from '../auth/minted-token-rules';
import { AuditService } from '../audit/audit.service';
import { CredentialCache } from '../auth/credential-cache';
import type { Principal } from '../auth/principal';
import { ScopeRegistry } from '../auth/scope-registry';
import { generateToken, hashToken, isWellFormed, redactToken } from '../auth/token-format';
import { keysetPage, type Page, type PageRequest } from '../common/keyset';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import type { PersonalTokenView } from './dto/personal-token.view';
import { PersonalToken } from './personal-token.entity';
import { PAT_CREDENTIAL, PAT_TOKEN } from './personal-token.token-kind';

export interface NewPersonalToken {
  name: string;
  scopes: readonly string[];
  /** undefined: the configured default; null: never expires (only where configuration allows it). */
  expiresInDays?: number | null;
}

export type ActivePersonalToken = PersonalToken & { user: User };

export function toPersonalTokenView(t: PersonalToken, now = Date.now()): PersonalTokenView {
  return {
    id: t.id,
    name: t.name,
    hint: t.hint,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    expired: isExpired(t, now),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: t.lastUsedIp,
  };
}

function isExpired(t: PersonalToken, now: number): boolean {
  return isExpiredAt(t.expiresAt, now);
}

@Injectable()
export class PersonalTokensService {
  constructor(
    @InjectRepository(PersonalToken) private readonly tokens: Repository<PersonalToken>,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: CredentialCache,
  ) {}

  /**
   * Creates a token for the principal's user after checking the name, the scopes (registered
   * and held by the user now) and the expiry. Returns the plaintext once; only its hash is kept.
   */
  async createFor(owner: Principal, input: NewPersonalToken, meta: RequestMeta): Promise<{ token: PersonalToken; plaintext: string }> {
    const user = owner.user;
    if (!user) throw new BadRequestException('Personal access tokens belong to users; this credential acts for no user');
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw new BadRequestException('name must be 1 to 100 characters');
    const scopes = this.checkScopes(input.scopes, user.roles);
    const now = new Date();
    const plaintext = generateToken(PAT_TOKEN);
    const token = await this.tokens.save(
      this.tokens.create({
        userId: user.id,
        name,
        tokenHash: hashToken(plaintext),
        hint: redactToken(plaintext),
        scopes,
        createdAt: now,
        expiresAt: expiryFrom(now, input.expiresInDays, this.config.personalTokens),
        lastUsedAt: null,
        lastUsedIp: null,
        revokedAt: null,
      }),
    );
    await this.audit.recordFor(owner, {
      action: 'pat.create',
      outcome: 'success',
      target: { type: 'personal_access_token', id: token.id },
      meta,
      details: { name, scopes, expiresAt: token.expiresAt?.toISOString() ?? null },
    });
    return { token, plaintext };
  }

  /** The user's tokens that are not revoked (expired ones included, so they can be cleaned up), newest first. */
  /** One keyset page of the user's unrevoked tokens (expired ones included, marked), newest first. */
  pageForOwner(userId: string, page: PageRequest): Promise<Page<PersonalToken>> {
    const qb = this.tokens.createQueryBuilder('t').where('t.user_id = :userId AND t.revoked_at IS NULL', { userId });
    return keysetPage(qb, { time: 't.created_at', id: 't.id' }, page, (t) => ({ time: t.createdAt, id: t.id }));
  }

  listForOwner(userId: string): Promise<PersonalToken[]> {
    return this.tokens.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  /** Revokes one of the user's own tokens at once. False when it is not theirs or already revoked. */
  async revokeFor(owner: Principal, tokenId: string, meta: RequestMeta): Promise<boolean> {
    const res = await this.tokens.update({ id: tokenId, userId: owner.actor.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if ((res.affected ?? 0) === 0) return false;
    await this.audit.recordFor(owner, {
      action: 'pat.revoke',
      outcome: 'success',
      target: { type: 'personal_access_token', id: tokenId },
      meta,
    });
    return true;
  }

  /** Revokes one token of the user (an administrator acting; the caller audits). False when not theirs or already revoked. */
  async revokeOneOf(userId: string, tokenId: string): Promise<boolean> {
    const res = await this.tokens.update({ id: tokenId, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  /** Revokes every token of the user at once (incident response; the caller audits). */
  async revokeAllForUser(userId: string): Promise<number> {
    const res = await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }

  /** Tokens of every user that are neither revoked nor expired (for the admin dashboard). */
  countLive(): Promise<number> {
    return this.tokens
      .createQueryBuilder('t')
      .where('t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)', { now: new Date() })
      .getCount();
  }

  /**
   * The hot path: format and checksum check (no I/O), then one indexed lookup by hash joined
   * with the user. Null for anything not usable: malformed, unknown, revoked, expired, or a
   * user who is no longer active. No cache, so a revocation takes effect on the next request.
   */
  async authenticate(plaintext: string, ip: string): Promise<ActivePersonalToken | null> {
    const now = Date.now();
    const token = await this.findLive(plaintext, now);
    if (token) await recordUse(this.tokens, token, ip, now);
    return token;
  }

  /**
   * The same checks as `authenticate` without recording a use (introspection asks about a
   * token; it does not use it): format and checksum, then one indexed lookup joined with the
   * user. Null when malformed, unknown, revoked, expired, or the user is not active.
   */
  async findLive(plaintext: string, now = Date.now()): Promise<ActivePersonalToken | null> {
    if (!isWellFormed(PAT_TOKEN, plaintext)) return null;
    const tokenHash = hashToken(plaintext);
    const token = await this.cache.getOrLoad(PAT_CREDENTIAL, tokenHash, () => this.findActiveByHash(tokenHash));
    if (!token?.user || token.user.status !== 'active' || isExpired(token, now)) return null;
    return token as ActivePersonalToken;
  }

  /** The scopes the user can choose for a new token: registered and held by their roles now. */
  choosableScopes(roles: readonly string[]): { name: string; description: string }[] {
    const held = this.scopes.permissionsFor(roles);
    return this.scopes
      .list()
      .filter((s) => held.has(s.name) && !s.identity)
      .map(({ name, description }) => ({ name, description }));
  }

  /** One SELECT by the unique hash index, joined with the user, of only what a principal needs. */
  private findActiveByHash(tokenHash: string): Promise<PersonalToken | null> {
    return this.tokens
      .createQueryBuilder('t')
      .innerJoin('t.user', 'u')
      .select([
        't.id',
        't.userId',
        't.scopes',
        't.createdAt',
        't.expiresAt',
        't.lastUsedAt',
        'u.id',
        'u.email',
        'u.displayName',
        'u.roles',
        'u.status',
      ])
      .where('t.token_hash = :tokenHash', { tokenHash })
      .andWhere('t.revoked_at IS NULL')
      .getOne();
  }

  private checkScopes(requested: readonly string[], roles: readonly string[]): string[] {
    return checkChosenScopes(this.scopes, requested, this.scopes.permissionsFor(roles), 'You do not hold the scope');
  }
}
