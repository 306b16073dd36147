import { ConflictException, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { In, LessThan, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { PurgeTaskRegistry } from '../housekeeping/purge-task';
import { MfaFactorLock } from './mfa-factor-lock.entity';

/** How long a lease lives if its holder dies before releasing it. */
const LEASE_MS = 10_000;
/** How long a removal waits for another one of the same user's before giving up (409). */
const WAIT_MS = 5_000;
const POLL_MS = 25;

/**
 * Per-user mutual exclusion for changes to a user's set of factors, on every instance and every
 * database: the lease is a row keyed by the user id, so of two INSERTs one wins (a unique
 * violation for the other, which waits and retries). Removing a factor checks "is another
 * standalone factor left?" across several modules' tables and then deletes from one of them;
 * under the lease no other removal for that user can run between the check and the delete.
 */
@Injectable()
export class MfaFactorLocks implements OnModuleInit {
  constructor(
    @InjectRepository(MfaFactorLock) private readonly locks: Repository<MfaFactorLock>,
    private readonly purge: PurgeTaskRegistry,
  ) {}

  onModuleInit(): void {
    // Normally released at once; a lease whose holder died is taken over when it expires, or purged.
    // (keyed by user_id, not id: its own batch rather than repositoryPurgeTask).
    this.purge.register({
      name: 'mfa_factor_locks',
      purgeBatch: async (cutoff, limit) => {
        const rows = await this.locks.find({ where: { expiresAt: LessThan(cutoff) }, select: { userId: true }, take: limit });
        if (rows.length === 0) return 0;
        await this.locks.delete({ userId: In(rows.map((r) => r.userId)), expiresAt: LessThan(cutoff) });
        return rows.length;
      },
    });
  }

  /** Runs `work` holding the user's lease; 409 when another holder keeps it longer than WAIT_MS. */
  async with<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    const giveUpAt = Date.now() + WAIT_MS;
    while (!(await this.tryAcquire(userId, holder))) {
      if (Date.now() > giveUpAt) throw new ConflictException('Another change to your second factors is in progress: try again.');
      await sleep(POLL_MS);
    }
    try {
      return await work();
    } finally {
      await this.locks.delete({ userId, holder });
    }
  }

  private async tryAcquire(userId: string, holder: string): Promise<boolean> {
    const now = new Date();
    try {
      await this.locks.insert({ userId, holder, expiresAt: new Date(now.getTime() + LEASE_MS) });
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Held: take it over only if its holder is gone (expired).
      await this.locks.delete({ userId, expiresAt: LessThan(now) });
      return false;
    }
  }
}
