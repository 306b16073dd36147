import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { RequestMeta } from '../common/request-meta';
import { ActorType, AuditEvent, AuditOutcome } from './audit-event.entity';

export interface AuditRecord {
  action: string;
  outcome: AuditOutcome;
  actor?: { type: ActorType; id: string | null };
  credential?: { kind: string; id: string };
  target?: { type: string; id: string };
  meta?: Partial<RequestMeta>;
  details?: Record<string, unknown>;
}

/**
 * Writes audit events. One insert per event, awaited by the caller so the record exists when
 * the response goes out; a failing write is logged loudly and never fails the action itself.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Convenience: the actor and credential come from the principal. */
  recordFor(principal: Principal, record: Omit<AuditRecord, 'actor' | 'credential'>): Promise<void> {
    return this.record({ ...record, actor: principal.actor, credential: principal.credential });
  }

  async record(r: AuditRecord): Promise<void> {
    try {
      await this.events.insert({
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
      });
    } catch (err) {
      this.logger.error({ err, action: r.action, outcome: r.outcome }, 'AUDIT WRITE FAILED: an audit event was lost');
    }
  }

  /** Events where the given user is the actor or the target, newest first. */
  listForUser(userId: string, limit = 50): Promise<AuditEvent[]> {
    return this.events
      .createQueryBuilder('e')
      .where('e.actor_id = :id OR (e.target_type = :t AND e.target_id = :id)', { id: userId, t: 'user' })
      .orderBy('e.occurred_at', 'DESC')
      .limit(limit)
      .getMany();
  }
}
