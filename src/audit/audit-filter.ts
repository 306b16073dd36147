import { BadRequestException } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { keysetOrder } from '../common/keyset';
import { escapeLike, LIKE_ESCAPE } from '../common/sql-like';
import type { AuditEvent, AuditOutcome } from './audit-event.entity';
import type { AuditQuery } from './dto/audit-query';

/** What the audit log can be filtered by. Every field narrows; none means everything. */
export interface AuditFilter {
  /** One id, or any of several (an email or client name resolved to ids; none matches nothing). */
  actorId?: string | readonly string[];
  /** An exact action, or a prefix ending in `*` (`admin.*`). */
  action?: string;
  targetType?: string;
  targetId?: string | readonly string[];
  outcome?: AuditOutcome;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
}

/** Applies the filter, newest first, and positions after the cursor when given. */
export function applyAuditFilter(qb: SelectQueryBuilder<AuditEvent>, f: AuditFilter, cursor?: string): SelectQueryBuilder<AuditEvent> {
  qb.where('1 = 1');
  if (typeof f.actorId === 'string') qb.andWhere('e.actor_id = :actorId', { actorId: f.actorId });
  else if (f.actorId) qb.andWhere(f.actorId.length ? 'e.actor_id IN (:...actorIds)' : '1 = 0', { actorIds: f.actorId });
  if (f.action?.endsWith('*')) {
    qb.andWhere(`e.action LIKE :actionPrefix ${LIKE_ESCAPE}`, { actionPrefix: `${escapeLike(f.action.slice(0, -1))}%` });
  } else if (f.action) {
    qb.andWhere('e.action = :action', { action: f.action });
  }
  if (f.targetType) qb.andWhere('e.target_type = :targetType', { targetType: f.targetType });
  if (typeof f.targetId === 'string') qb.andWhere('e.target_id = :targetId', { targetId: f.targetId });
  else if (f.targetId) qb.andWhere(f.targetId.length ? 'e.target_id IN (:...targetIds)' : '1 = 0', { targetIds: f.targetId });
  if (f.outcome) qb.andWhere('e.outcome = :outcome', { outcome: f.outcome });
  if (f.from) qb.andWhere('e.occurred_at >= :from', { from: f.from });
  if (f.to) qb.andWhere('e.occurred_at < :to', { to: f.to });
  return keysetOrder(qb, AUDIT_KEYSET, cursor);
}

/** Audit pages run newest first by (occurred_at, id). */
export const AUDIT_KEYSET = { time: 'e.occurred_at', id: 'e.id' };

/** The filter an AuditQuery asks for; a time range that ends before it starts is a 400. */
export function auditFilterFrom(q: AuditQuery): AuditFilter {
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && from >= to) throw new BadRequestException('from must be earlier than to');
  return { actorId: q.actor, action: q.action, targetType: q.targetType, targetId: q.targetId, outcome: q.outcome, from, to };
}
