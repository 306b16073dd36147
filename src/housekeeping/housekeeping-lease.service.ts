import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { HousekeepingLease } from './housekeeping-lease.entity';

/**
 * A lease in the database (works the same on MySQL and SQLite, with or without Redis): the
 * instance whose conditional UPDATE claims an expired lease (or renews its own) runs the job.
 * One row per job; only this module writes it.
 */
@Injectable()
export class HousekeepingLeaseService {
  constructor(@InjectRepository(HousekeepingLease) private readonly leases: Repository<HousekeepingLease>) {}

  /** True when `holder` now holds `name` until now + ttlMs. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    // Taken from an expired lease, or renewed by its holder: exactly one instance's UPDATE matches.
    const taken = await this.leases.update({ name, expiresAt: LessThan(now) }, { holder, expiresAt });
    if (taken.affected) return true;
    const renewed = await this.leases.update({ name, holder }, { expiresAt });
    if (renewed.affected) return true;
    try {
      await this.leases.insert({ name, holder, expiresAt });
      return true;
    } catch {
      return false; // another instance inserted it first, or holds it
    }
  }

  async release(name: string, holder: string): Promise<void> {
    await this.leases.update({ name, holder }, { expiresAt: new Date(0) });
  }
}
