import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { RequestMeta } from '../common/request-meta';
import { Page, pageFrom } from '../common/keyset';
import { nonCamelCaseKeys } from './audit-details';
import { ActorType, AuditEvent, AuditOutcome } from './audit-event.entity';
import { applyAuditFilter, AuditFilter } from './audit-filter';
import type { WriteBatch } from '../database/write-batch';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { AuditRetryBuffer, AuditRow } from './audit-retry-buffer';

export type AuditPage = Page<AuditEvent>;

/** Rows per query when streaming an export: bounded memory whatever the log's size. */
const EXPORT_BATCH = 500;
/** Audit rows kept in memory while the database is unreachable (about 1 KiB each). */
export const AUDIT_RETRY_BUFFER_CAPACITY = 10_000;

export interface AuditRecord {
  action: string;
  outcome: AuditOutcome;
  actor?: { type: ActorType; id: string | null };
  /** The credential presented; `id` is null when it matched none (a refused, unknown token). */
  credential?: { kind: string; id: string | null };
  target?: { type: string; id: string };
  meta?: Partial<RequestMeta>;
  details?: Record<string, unknown>;
}

/**
 * Writes audit events. One insert per event, awaited by the caller so the record exists when
 * the response goes out; a failing write never fails the action itself. When the database is
 * unreachable the row waits in a bounded in-memory buffer and is written (with its original
 * time) once the database answers again; a row that cannot be kept is logged in full instead
 * (AuditRetryBuffer). Any other failure is logged with the row, too.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  /** Rows that could not be written during a database outage. */
  readonly retryBuffer: AuditRetryBuffer;

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {
    this.retryBuffer = new AuditRetryBuffer((rows) => this.events.insert(rows), this.logger, AUDIT_RETRY_BUFFER_CAPACITY);
  }

  /** Writes what the buffer still holds, or logs it as dropped, before the database is closed. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.retryBuffer.close();
  }

  /** Convenience: the actor and credential come from the principal. */
  recordFor(principal: Principal, record: Omit<AuditRecord, 'actor' | 'credential'>): Promise<void> {
    const { kind, id, createdBy } = principal.credential;
    // Who else is behind the request: the acting admin of an impersonation (RFC 8693 §4.1 `act`),
    // the person who made a bot's token.
    const behind = {
      ...(principal.act ? { act: principal.act } : {}),
      ...(createdBy ? { credentialCreatedBy: createdBy } : {}),
    };
    const details = Object.keys(behind).length > 0 ? { ...record.details, ...behind } : record.details;
    return this.record({ ...record, details, actor: principal.actor, credential: { kind, id } });
  }

  async record(r: AuditRecord): Promise<void> {
    this.checkKeys(r);
    // The id is fixed here, so a retried row can never be written twice.
    const row: AuditRow = { ...rowOf(r), id: randomUUID(), occurredAt: new Date() };
    try {
      await this.events.insert(row);
    } catch (err) {
      if (isDatabaseUnavailable(err)) return this.retryBuffer.add(row);
      this.logger.error({ err, auditEvent: row }, 'AUDIT WRITE FAILED: this line is the record of the event');
      return;
    }
    this.retryBuffer.nudge();
  }

  /**
   * Adds the event to `batch`, written with the change it records when the caller commits it:
   * one commit for both, and no change without its row. Unlike `record`, a failing write fails
   * the batch.
   */
  recordInto(batch: WriteBatch, r: AuditRecord): void {
    this.checkKeys(r);
    batch.insert(AuditEvent, rowOf(r));
  }

  /**
   * Detail keys are camelCase (audit-details.ts). Under test a stray `snake_case` key fails the
   * request that wrote it, so every e2e flow checks its own audit writes; in production the
   * event is still written and the slip logged.
   */
  private checkKeys(r: AuditRecord): void {
    const bad = nonCamelCaseKeys(r.details);
    if (bad.length === 0) return;
    const message = `audit details of ${r.action} have keys that are not camelCase: ${bad.join(', ')}`;
    if (process.env.NODE_ENV === 'test') throw new Error(message);
    this.logger.warn(message);
  }

  /** One page of the filtered log, newest first. Reads only: the log has no update or delete. */
  async search(filter: AuditFilter, limit: number, cursor?: string): Promise<AuditPage> {
    const rows = await applyAuditFilter(this.events.createQueryBuilder('e'), filter, cursor)
      .limit(limit + 1)
      .getMany();
    return pageOf(rows, limit);
  }

  /** Every matching event, newest first, fetched in batches (for exports). */
  async *streamAll(filter: AuditFilter): AsyncGenerator<AuditEvent> {
    let cursor: string | undefined;
    do {
      const page = await this.search(filter, EXPORT_BATCH, cursor);
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** How many events of this action and outcome happened since `since`. */
  countSince(action: string, outcome: AuditOutcome, since: Date): Promise<number> {
    return this.events
      .createQueryBuilder('e')
      .where('e.action = :action AND e.outcome = :outcome AND e.occurred_at >= :since', { action, outcome, since })
      .getCount();
  }

  /**
   * A user's own security events: where they acted, or where they (or one of their sessions)
   * were the target, limited to security-relevant actions. Newest first.
   */
  async listSecurityEventsForUser(userId: string, limit: number, cursor?: string): Promise<AuditPage> {
    const qb = applyAuditFilter(this.events.createQueryBuilder('e'), {}, cursor)
      .andWhere('(e.actor_id = :uid OR (e.target_type = :userType AND e.target_id = :uid))', { uid: userId, userType: 'user' })
      .andWhere(
        `(${SECURITY_ACTION_PREFIXES.map((_, i) => `e.action LIKE :sp${i}`).join(' OR ')})`,
        Object.fromEntries(SECURITY_ACTION_PREFIXES.map((p, i) => [`sp${i}`, `${p}%`])),
      )
      .limit(limit + 1);
    return pageOf(await qb.getMany(), limit);
  }
}

function rowOf(r: AuditRecord): Partial<AuditEvent> {
  return {
    occurredAt: new Date(),
    actorType: r.actor?.type ?? 'anonymous',
    actorId: r.actor?.id ?? null,
    credentialKind: r.credential?.kind ?? null,
    credentialId: r.credential?.id ?? null,
    action: r.action,
    targetType: r.target?.type ?? null,
    targetId: r.target?.id ?? null,
    outcome: r.outcome,
    ip: r.meta?.ip ?? null,
    userAgent: r.meta?.userAgent ?? null,
    requestId: r.meta?.requestId ?? null,
    details: r.details ? JSON.stringify(r.details) : null,
  };
}

/**
 * What counts as a security event on a user's own page: sign-ins and sessions, their tokens,
 * their authorizations, and what administrators did to their account. Resource API activity
 * (devices, api.request) is not listed there.
 */
export const SECURITY_ACTION_PREFIXES = [
  'auth.',
  'session.',
  'pat.',
  'token.',
  'consent.',
  'authorization.',
  'refresh.',
  'code.',
  'device_authorization.',
  // Second factors and passkeys: added, removed, a recovery code used, a cloned passkey refused.
  'mfa.',
  'passkey.',
  // The account's link to the organisation's identity provider.
  'sso.identity_link',
  'sso.email_changed',
  'admin.user.',
  // Operators' CLI changes to the account (user.disable, user.password_reset, …).
  'user.',
  // An administrator acting on the account through an impersonation token.
  'impersonation.',
] as const;

function pageOf(rows: AuditEvent[], limit: number): AuditPage {
  return pageFrom(rows, limit, (e) => ({ time: e.occurredAt, id: e.id }));
}
