import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { CredentialCache } from '../auth/credential-cache';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import type { Client } from '../clients/client.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { WriteBatch } from '../database/write-batch';
import { issuedBeforeEpoch } from '../users/credential-epoch';
import type { User } from '../users/user.entity';
import { AccessToken } from './access-token.entity';
import { AccessTokenClaims, JwtAccessTokensService } from './jwt-access-tokens.service';
import { ACCESS_TOKEN, OAUTH_ACCESS_CREDENTIAL } from './access-token.token-kind';

export interface IssueAccessToken {
  client: Client;
  /** The user the token acts for; omitted when the client acts as itself. */
  user?: { id: string };
  scopes: readonly string[];
  /** The code-flow grant (family) the token belongs to. */
  grantId?: string;
  /** RFC 8707: the registered resource the token is for (`aud`); omitted = Gatehouse's own API. */
  audience?: string;
}

export type LiveAccessToken = AccessToken & { client: Client & { owner: User }; user: User | null };

/** The row, if its client, the client's owner and its user (if any) are all still active. */
function liveOrNull(row: AccessToken): LiveAccessToken | null {
  if (!row.client?.owner || row.client.status !== 'active' || row.client.owner.status !== 'active') return null;
  if (row.userId && row.user?.status !== 'active') return null;
  // Issued before the user's credential epoch (revoke-all, disable, password change): ended.
  if (row.userId && issuedBeforeEpoch(row.user, row.createdAt)) return null;
  // Issued before its client was last disabled: ended, also once the client is enabled again.
  if (issuedBeforeEpoch(row.client, row.createdAt)) return null;
  // A client edited to fewer scopes narrows its live tokens at their next use, as a user's
  // narrowed roles do (the row keeps what was granted; what it is good for is the intersection).
  const allowed = new Set(row.client.allowedScopes);
  if (row.scopes.some((s) => !allowed.has(s))) row.scopes = row.scopes.filter((s) => allowed.has(s));
  return row as LiveAccessToken;
}

/** OAuth access tokens: issued, looked up by hash on the hot path, revoked. */
@Injectable()
export class AccessTokenService {
  constructor(
    @InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtAccessTokensService,
    private readonly cache: CredentialCache,
  ) {}

  get ttlSeconds(): number {
    return this.config.oauth.accessTokenTtlSeconds;
  }

  /** Seconds a new token of this client lives: JWTs are short (outside servers see revocation only at expiry). */
  ttlFor(client: Client): number {
    return client.accessTokenFormat === 'jwt' ? this.config.jwt.accessTokenTtlSeconds : this.ttlSeconds;
  }

  /**
   * Returns the token once: opaque `ghat_…` (only its hash is stored), or an RFC 9068 JWT for
   * clients switched to JWT (the row stores the hash of its `jti`). Pass `tx` to issue inside
   * a transaction.
   */
  async issue(input: IssueAccessToken, tx?: EntityManager): Promise<{ token: string; row: AccessToken; expiresIn: number }> {
    const manager = tx ?? this.tokens.manager;
    const { seed, jti, row } = this.newToken(input);
    // One INSERT, no read-back (the id is ours).
    await manager.createQueryBuilder().insert().into(AccessToken).values(row).updateEntity(false).execute();
    const token = jti ? await this.jwt.sign(row, jti, input.client) : seed;
    return { token, row, expiresIn: this.ttlFor(input.client) };
  }

  /**
   * The same, but the row is added to `batch` and written when the caller commits it (with the
   * rows that belong with it, e.g. its audit event). Hand the token out only after the commit.
   */
  async issueInto(batch: WriteBatch, input: IssueAccessToken): Promise<{ token: string; row: AccessToken; expiresIn: number }> {
    const { seed, jti, row } = this.newToken(input);
    batch.insert(AccessToken, row);
    const token = jti ? await this.jwt.sign(row, jti, input.client) : seed;
    return { token, row, expiresIn: this.ttlFor(input.client) };
  }

  private newToken(input: IssueAccessToken): { seed: string; jti?: string; row: AccessToken } {
    const seed = generateToken(ACCESS_TOKEN);
    const { tokenHash, jti } = this.storedKey(input.client, seed);
    return { seed, jti, row: this.tokens.create({ id: randomUUID(), ...this.newRow(input, tokenHash, new Date()) }) };
  }

  /**
   * Issues the access token derived from `seed` (graceful refresh rotation), or finds it when a
   * concurrent request already did: insert-or-ignore on the unique hash, then one lookup, so
   * every caller gets the one row. Null if that row is no longer live.
   */
  async issueOrFind(input: IssueAccessToken, seed: string): Promise<{ token: string; row: AccessToken; expiresIn: number } | null> {
    const { tokenHash } = this.storedKey(input.client, seed);
    await this.tokens
      .createQueryBuilder()
      .insert()
      .into(AccessToken)
      .values({ id: randomUUID(), ...this.newRow(input, tokenHash, new Date()) })
      .orIgnore()
      .execute();
    return this.findLiveDerived(seed, input.grantId ?? null, input.client);
  }

  /**
   * The live token derived from `seed` in this family, with seconds left: the same opaque token,
   * or the same JWT claims signed again. Null when revoked, expired or never issued.
   */
  async findLiveDerived(
    seed: string,
    grantId: string | null,
    client: Client,
  ): Promise<{ token: string; row: AccessToken; expiresIn: number } | null> {
    const { tokenHash, jti } = this.storedKey(client, seed);
    const row = await this.tokens.findOneBy({
      tokenHash,
      grantId: grantId ?? IsNull(),
      revokedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    if (!row) return null;
    const token = jti ? await this.jwt.sign(row, jti, client) : seed;
    return { token, row, expiresIn: Math.max(1, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000)) };
  }

  /**
   * Gatehouse's own check of a JWT access token: signature, `typ`, `iss`, `exp`, `aud` = this
   * API (RFC 9068 §4), then one indexed lookup by the `jti` hash, which is the revocation
   * check (a revoked JWT is refused at once) and brings the client and user as for opaque tokens.
   */
  async authenticateJwt(token: string): Promise<{ row: LiveAccessToken; claims: AccessTokenClaims } | null> {
    const claims = await this.jwt.verify(token, this.jwt.ownAudience);
    if (!claims) return null;
    const row = await this.liveByJti(claims);
    return row ? { row, claims } : null;
  }

  /** A JWT this server signed for any audience, and still live (introspection, revocation). */
  async findLiveJwt(token: string): Promise<{ row: LiveAccessToken; claims: AccessTokenClaims } | null> {
    const claims = await this.jwt.verify(token);
    if (!claims) return null;
    const row = await this.liveByJti(claims);
    return row ? { row, claims } : null;
  }

  private async liveByJti(claims: AccessTokenClaims): Promise<LiveAccessToken | null> {
    const row = await this.findCachedByHash(hashToken(claims.jti));
    if (!row || row.clientId !== claims.client_id) return null;
    return liveOrNull(row);
  }

  /** What the row is found by: the token's hash (opaque), or its `jti`'s hash (JWT). */
  private storedKey(client: Client, seed: string): { tokenHash: string; jti?: string } {
    if (client.accessTokenFormat !== 'jwt') return { tokenHash: hashToken(seed) };
    // The jti is derived from the seed so a graceful-rotation retry can sign the same token again.
    const jti = hashToken(`jti\0${seed}`).slice(0, 32);
    return { tokenHash: hashToken(jti), jti };
  }

  private newRow(input: IssueAccessToken, tokenHash: string, now: Date) {
    return {
      tokenHash,
      clientId: input.client.clientId,
      userId: input.user?.id ?? null,
      grantId: input.grantId ?? null,
      scopes: [...input.scopes],
      audience: input.audience ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlFor(input.client) * 1000),
      revokedAt: null,
    };
  }

  /**
   * The hot path: format and checksum check (no I/O for junk), then a hit in the credential cache
   * (at most 1 s old, emptied by every revocation) or one indexed lookup by hash joined with the
   * client, its owner and the user. Null for anything not live, or whose client, owner or user is
   * no longer active.
   */
  async authenticate(token: string): Promise<LiveAccessToken | null> {
    if (!isWellFormed(ACCESS_TOKEN, token)) return null;
    const row = await this.findCachedByHash(hashToken(token));
    return row ? liveOrNull(row) : null;
  }

  /** The live row by token (or jti) hash through the credential cache; expiry re-checked on every hit. */
  private async findCachedByHash(tokenHash: string): Promise<AccessToken | null> {
    const row = await this.cache.getOrLoad(OAUTH_ACCESS_CREDENTIAL, tokenHash, () => this.findActiveByHash(tokenHash));
    return row && row.expiresAt.getTime() > Date.now() ? row : null;
  }

  /** One SELECT by the unique hash index, of only the columns a principal or introspection needs. */
  findActiveByHash(tokenHash: string): Promise<AccessToken | null> {
    return this.tokens
      .createQueryBuilder('a')
      .innerJoin('a.client', 'c')
      .innerJoin('c.owner', 'o')
      .leftJoin('a.user', 'u')
      .select(['a.id', 'a.clientId', 'a.userId', 'a.grantId', 'a.scopes', 'a.audience', 'a.createdAt', 'a.expiresAt'])
      .addSelect(['c', 'o.id', 'o.roles', 'o.status'])
      .addSelect(['u.id', 'u.email', 'u.displayName', 'u.roles', 'u.status', 'u.credentialsRevokedAt'])
      .where('a.token_hash = :tokenHash', { tokenHash })
      .andWhere('a.revoked_at IS NULL')
      .andWhere('a.expires_at > :now', { now: new Date() })
      .getOne();
  }

  /** RFC 7009 §2.1: revokes the token only if it was issued to `clientId`. True when one was revoked. */
  async revokeForClient(token: string, clientId: string): Promise<boolean> {
    let tokenHash: string;
    if (isWellFormed(ACCESS_TOKEN, token)) tokenHash = hashToken(token);
    else {
      // A JWT: revoking it records its jti, which Gatehouse's guard and introspection check.
      const claims = await this.jwt.verify(token);
      if (!claims) return false;
      tokenHash = hashToken(claims.jti);
    }
    const res = await this.tokens.update({ tokenHash, clientId, revokedAt: IsNull() }, { revokedAt: new Date() });
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
