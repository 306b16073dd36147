import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { housekeepingPurged } from '../metrics/metrics';
import { HousekeepingLeaseService } from './housekeeping-lease.service';
import { PurgeTaskRegistry } from './purge-task';

const JOB = 'purge';
/** The lease outlives one batch by far; it is renewed after every batch. */
const LEASE_MS = 5 * 60_000;
/** A pause between batches, so that requests get the tables in between. */
const PAUSE_MS = 20;

/**
 * What one run did: rows deleted per task, how long it took, and its longest batch (a batch is
 * one SELECT of ids and one DELETE by primary key: the longest time any rows were locked).
 */
export type HousekeepingRun =
  { ran: false } | { ran: true; deleted: Record<string, number>; batches: number; durationMs: number; longestBatchMs: number };

/**
 * Purges ended credentials on a schedule (HOUSEKEEPING_INTERVAL_MINUTES; 0: never): every
 * registered PurgeTask deletes rows that ended (expired, revoked, consumed) more than
 * HOUSEKEEPING_RETENTION_DAYS ago, HOUSEKEEPING_BATCH_SIZE rows at a time. With N instances a
 * database lease makes exactly one of them run it at a time. Audit rows are not touched.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tasks: PurgeTaskRegistry,
    private readonly lease: HousekeepingLeaseService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMs } = this.config.housekeeping;
    // Servers only (not the CLI); spread the instances' first runs over a minute.
    if (intervalMs <= 0 || !this.adapterHost.httpAdapter) return;
    const schedule = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.runOnce()
          .catch((err: unknown) => this.logger.error(`Housekeeping failed: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => !this.stopping && schedule(intervalMs));
      }, delay);
      this.timer.unref();
    };
    schedule(Math.min(intervalMs, 60_000 + Math.floor(Math.random() * 60_000)));
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    clearTimeout(this.timer);
  }

  /** One purge run, if this instance gets the lease. */
  async runOnce(now = new Date()): Promise<HousekeepingRun> {
    if (!(await this.lease.acquire(JOB, this.holder, LEASE_MS))) return { ran: false };
    const { retentionMs, batchSize } = this.config.housekeeping;
    const cutoff = new Date(now.getTime() - retentionMs);
    const deleted: Record<string, number> = {};
    const started = performance.now();
    let batches = 0;
    let longestBatchMs = 0;
    const result = (): HousekeepingRun => ({
      ran: true,
      deleted,
      batches,
      durationMs: Math.round(performance.now() - started),
      longestBatchMs: Math.round(longestBatchMs),
    });
    try {
      for (const task of this.tasks.all()) {
        deleted[task.name] = 0;
        for (;;) {
          if (this.stopping) return result();
          let n: number;
          const batchStarted = performance.now();
          try {
            n = await task.purgeBatch(cutoff, batchSize);
          } catch (err) {
            this.logger.error(`Purging ${task.name} failed: ${err instanceof Error ? err.message : String(err)}`);
            break;
          }
          batches++;
          longestBatchMs = Math.max(longestBatchMs, performance.now() - batchStarted);
          deleted[task.name] += n;
          housekeepingPurged.inc({ table: task.name }, n);
          if (n < batchSize) break;
          if (!(await this.lease.acquire(JOB, this.holder, LEASE_MS))) return result();
          await sleep(PAUSE_MS);
        }
      }
    } finally {
      await this.lease.release(JOB, this.holder).catch(() => undefined);
    }
    const run = result();
    this.logger.log({ ...run, cutoff: cutoff.toISOString() }, 'Housekeeping purge done');
    return run;
  }
}
