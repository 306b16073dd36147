import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { CredentialCache } from '../auth/credential-cache';
import { generateToken, hashToken, isWellFormed, redactToken } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import { ClientSecret } from './client-secret.entity';
import { Client } from './client.entity';
import { CLIENT_SECRET_TOKEN } from './client-secret.token-kind';

export type LiveSecret = ClientSecret & { client: Client & { owner: User } };

/** Client secrets: issued and rotated here, looked up by hash only (never compared as text). */
@Injectable()
export class ClientSecretsService {
  constructor(
    @InjectRepository(ClientSecret) private readonly secrets: Repository<ClientSecret>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: CredentialCache,
  ) {}

  /** Creates a new current secret; returns the plaintext, which is never stored nor shown again. */
  async issue(clientId: string, tx?: EntityManager): Promise<{ secret: string; row: ClientSecret }> {
    const repo = tx ? tx.getRepository(ClientSecret) : this.secrets;
    const secret = generateToken(CLIENT_SECRET_TOKEN);
    const row = await repo.save(
      repo.create({
        clientId,
        secretHash: hashToken(secret),
        hint: redactToken(secret),
        createdAt: new Date(),
        expiresAt: null,
        revokedAt: null,
      }),
    );
    return { secret, row };
  }

  /**
   * A new secret; the previous ones keep working until the grace period ends, or stop at once
   * when `revokeOld`. Runs in the caller's transaction so a failure leaves no half-rotation.
   */
  async rotate(
    clientId: string,
    revokeOld: boolean,
    tx: EntityManager,
  ): Promise<{ secret: string; row: ClientSecret; graceEndsAt: Date | null }> {
    const repo = tx.getRepository(ClientSecret);
    await lockClientRow(tx, clientId);
    const now = new Date();
    let graceEndsAt: Date | null = null;
    if (revokeOld || this.config.oauth.clientSecretGraceMs === 0) {
      await repo.update({ clientId, revokedAt: IsNull() }, { revokedAt: now });
    } else {
      graceEndsAt = new Date(now.getTime() + this.config.oauth.clientSecretGraceMs);
      // Only the current secret gets a grace period; one already in grace keeps its earlier end.
      await repo.update({ clientId, revokedAt: IsNull(), expiresAt: IsNull() }, { expiresAt: graceEndsAt });
    }
    return { ...(await this.issue(clientId, tx)), graceEndsAt };
  }

  /**
   * The hot path of client authentication: format check, then a credential-cache hit (at most
   * 1 s old, emptied by every revocation or rotation) or one indexed lookup by hash, joined with
   * the client and its owner. Null for anything not live.
   */
  async authenticate(secret: string): Promise<LiveSecret | null> {
    if (!isWellFormed(CLIENT_SECRET_TOKEN, secret)) return null;
    const secretHash = hashToken(secret);
    const row = await this.cache.getOrLoad('client_secret', secretHash, () => this.findActiveByHash(secretHash));
    if (!row?.client?.owner) return null;
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return null;
    if (row.client.status !== 'active' || row.client.owner.status !== 'active') return null;
    return row as LiveSecret;
  }

  /**
   * One SELECT by the unique hash index, joined with the client and its owner (the client's
   * every column: token requests need its type, grants and scopes; the owner's only what a
   * principal needs).
   */
  private findActiveByHash(secretHash: string): Promise<ClientSecret | null> {
    return this.secrets
      .createQueryBuilder('s')
      .innerJoin('s.client', 'c')
      .innerJoin('c.owner', 'o')
      .select(['s.id', 's.clientId', 's.expiresAt', 'c', 'o.id', 'o.email', 'o.displayName', 'o.roles', 'o.status'])
      .where('s.secret_hash = :secretHash', { secretHash })
      .andWhere('s.revoked_at IS NULL')
      .andWhere('(s.expires_at IS NULL OR s.expires_at > :now)', { now: new Date() })
      .getOne();
  }

  /** Secrets that still work (current and in grace), newest first: what the owner sees (hints only). */
  listLive(clientId: string): Promise<ClientSecret[]> {
    const now = new Date();
    return this.secrets.find({
      where: [
        { clientId, revokedAt: IsNull(), expiresAt: IsNull() },
        { clientId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      ],
      order: { createdAt: 'DESC' },
    });
  }
}

/**
 * Rotations of one client take turns (MySQL, PostgreSQL; SQLite runs one transaction at a time anyway). Two
 * concurrent rotations otherwise deadlock on InnoDB: each one's UPDATE holds next-key locks on the
 * client's secrets that the other's INSERT waits for. runTransaction would retry the victim, but
 * under a burst the retries could run out.
 */
async function lockClientRow(tx: EntityManager, clientId: string): Promise<void> {
  if (tx.dataSource.options.type === 'better-sqlite3') return;
  await tx
    .getRepository(Client)
    .createQueryBuilder('c')
    .select('c.clientId')
    .where('c.clientId = :clientId', { clientId })
    .setLock('pessimistic_write')
    .getOne();
}
