import type { LoggerService } from '@nestjs/common';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { auditEventsBuffered, auditEventsDropped, auditEventsWrittenLate } from '../metrics/metrics';
import type { AuditEvent } from './audit-event.entity';
import { isUniqueViolation } from '../database/unique-violation';

/** A row as AuditService writes it: its id and time fixed when the event happened. */
export type AuditRow = Partial<AuditEvent> & { id: string; occurredAt: Date };

/** Rows per INSERT when writing the buffer out. */
const CHUNK = 100;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;
/** At most one "still waiting" line per this interval while the database stays away. */
const WAITING_LOG_MS = 10_000;

/**
 * Audit rows whose insert failed because the database was unreachable, kept in memory (bounded)
 * and written once it answers again, with their original time and id (a retry after a commit
 * whose acknowledgement was lost is a duplicate key: already written, not written twice).
 * Nothing is lost silently: a row that cannot be kept (the buffer is full, the process is
 * stopping, the database refuses the row itself) is logged in full as one structured error line
 * (`AUDIT EVENT DROPPED`, the row's fields: ids, action, outcome, IP, request id; no secret is
 * ever in an audit row) and counted in `gatehouse_audit_events_dropped_total`.
 */
export class AuditRetryBuffer {
  private readonly rows: AuditRow[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private retryMs = FIRST_RETRY_MS;
  private lastWaitingLogAt = 0;

  constructor(
    private readonly insert: (rows: AuditRow[]) => Promise<unknown>,
    private readonly logger: LoggerService,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.rows.length;
  }

  /** Keeps `row` for a later write (or logs it as dropped when the buffer is full). */
  add(row: AuditRow): void {
    if (this.rows.length >= this.capacity) {
      this.drop(row, 'buffer_full');
      return;
    }
    this.rows.push(row);
    auditEventsBuffered.set(this.rows.length);
    const now = Date.now();
    if (now - this.lastWaitingLogAt >= WAITING_LOG_MS) {
      this.lastWaitingLogAt = now;
      this.logger.warn(
        { buffered: this.rows.length, capacity: this.capacity },
        'Audit events buffered in memory until the database answers again',
      );
    }
    this.schedule();
  }

  /** The database just answered: write what is waiting now rather than at the next retry. */
  nudge(): void {
    if (this.rows.length === 0 || this.flushing) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.retryMs = FIRST_RETRY_MS;
    void this.flush();
  }

  /** Writes what is waiting; resolves when done or when the database is still away. */
  flush(): Promise<void> {
    this.flushing ??= this.writeOut().finally(() => {
      this.flushing = undefined;
      auditEventsBuffered.set(this.rows.length);
      if (this.rows.length > 0) this.schedule();
    });
    return this.flushing;
  }

  /** At shutdown: one last attempt, then every row still waiting is logged as dropped. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rows.length > 0) await this.flush().catch(() => undefined);
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const row of this.rows.splice(0)) this.drop(row, 'shutdown');
    auditEventsBuffered.set(0);
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.retryMs);
    this.timer.unref();
  }

  private async writeOut(): Promise<void> {
    let written = 0;
    try {
      while (this.rows.length > 0) {
        const chunk = this.rows.slice(0, CHUNK);
        try {
          await this.insert(chunk);
        } catch (err) {
          if (isDatabaseUnavailable(err)) throw err;
          // One row the database refuses (or one already written before a lost acknowledgement)
          // must not hold back the others: write them one by one.
          for (const row of chunk) await this.insertOne(row);
        }
        this.rows.splice(0, chunk.length);
        written += chunk.length;
      }
      this.retryMs = FIRST_RETRY_MS;
    } catch (err) {
      // The database went away again (or something unexpected): keep the rows, back off.
      if (!isDatabaseUnavailable(err)) this.logger.error({ err }, 'Writing buffered audit events failed');
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    } finally {
      if (written > 0) {
        auditEventsWrittenLate.inc(written);
        this.logger.log({ written, stillBuffered: this.rows.length }, 'Buffered audit events written');
      }
    }
  }

  private async insertOne(row: AuditRow): Promise<void> {
    try {
      await this.insert([row]);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      if (isUniqueViolation(err)) return; // written before, its acknowledgement lost
      this.drop(row, 'rejected', err);
    }
  }

  private drop(row: AuditRow, reason: 'buffer_full' | 'shutdown' | 'rejected', err?: unknown): void {
    auditEventsDropped.inc({ reason });
    this.logger.error(
      { reason, auditEvent: row, ...(err instanceof Error ? { error: err.message } : {}) },
      'AUDIT EVENT DROPPED: not written to the audit log; this line is its record',
    );
  }
}
