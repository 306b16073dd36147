import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { User } from './user.entity';

/** Why a subject's credential epoch moved (logged; the caller audits the event itself). */
export type CredentialEpochReason =
  'revoke_all' | 'disabled' | 'password_changed' | 'password_reset' | 'mfa_reset' | 'sso_connection_disabled' | (string & {});

/**
 * The one place that ends a subject's access including everything in flight (issue 22 §1).
 *
 * `bump(userId, reason)` moves the user's credential epoch (`users.credentials_revoked_at`) to
 * now. From then on, everything issued to the user before it is refused where it is redeemed or
 * presented (see `issuedBeforeEpoch` and the rule in docs/adding-a-module.md): authorization
 * codes, approved-but-unpolled device codes, refresh families, access tokens (opaque and JWT),
 * impersonation tokens acting for the user, and password-reset links. It is one UPDATE of the
 * user row, so the credential cache is emptied on this instance (CredentialCacheInvalidator) and
 * on every other one (the Redis fan-out; without Redis within the cache's 1 s TTL).
 *
 * What it does not do: end sessions and personal access tokens (a password change keeps the
 * session that made it). For "end everything", call UserLifecycleService.revokeAllCredentials,
 * which bumps the epoch and revokes every registered credential kind.
 *
 * Uses the application clock, like every `created_at` it is compared with; the epoch never moves
 * backwards.
 */
@Injectable()
export class CredentialEpochService {
  private readonly logger = new Logger('CredentialEpoch');

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Moves the epoch to now (never backwards). @returns the epoch now in force, or null for an unknown user */
  async bump(userId: string, reason: CredentialEpochReason): Promise<Date | null> {
    const now = new Date();
    await this.users
      .createQueryBuilder()
      .update(User)
      .set({ credentialsRevokedAt: now, updatedAt: now })
      .where('id = :userId', { userId })
      .andWhere(new Brackets((w) => w.where('credentials_revoked_at IS NULL').orWhere('credentials_revoked_at < :now', { now })))
      .execute();
    const row = await this.users.findOne({ where: { id: userId }, select: { id: true, credentialsRevokedAt: true } });
    if (row) this.logger.log(`credential epoch of user ${userId} moved (${reason})`);
    return row?.credentialsRevokedAt ?? null;
  }
}
