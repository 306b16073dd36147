import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '../audit/audit-event.entity';
import { toAuditEventView } from '../audit/audit-event.mapper';
import { actionLabel } from '../audit/action-labels';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import type { AuditEventView } from '../audit/dto/audit-event.view';
import { AuditFilter, auditFilterFrom } from '../audit/audit-filter';
import type { AuditQuery } from '../audit/dto/audit-query';
import { ClientsService } from '../clients/clients.service';
import { UsersService } from '../users/users.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An audit event ready for an admin page (see AuditNamesService.describe). */
export interface DescribedAuditEvent extends AuditEventView {
  actionLabel: string;
  actorLabel?: string;
  targetLabel?: string;
  /** The credential kind by its registered label (AuthStrategyRegistry); the kind itself if none is registered (`cli`). */
  credentialLabel?: string;
  detailsText: string;
}

/**
 * People and clients by name in the audit log: the actor and target filters accept an email or
 * a client name as well as an id, and events are shown with names (the ids stay on hover and in
 * the exports).
 */
@Injectable()
export class AuditNamesService {
  constructor(
    private readonly users: UsersService,
    private readonly clients: ClientsService,
    private readonly strategies: AuthStrategyRegistry,
  ) {}

  /** The query's filter with an email or client name in `actor` / `targetId` turned into ids. */
  async filterFrom(q: AuditQuery): Promise<AuditFilter> {
    const f = auditFilterFrom(q);
    return { ...f, actorId: await this.idsFor(q.actor), targetId: await this.idsFor(q.targetId) };
  }

  /** A label per actor and target id of these events: a user's email (and name), a client's name. */
  async labels(events: readonly AuditEvent[]): Promise<Map<string, string>> {
    const userIds = new Set<string>();
    const clientIds = new Set<string>();
    for (const e of events) {
      if (e.actorId && e.actorType === 'user') userIds.add(e.actorId);
      if (e.actorId && e.actorType === 'client') clientIds.add(e.actorId);
      if (e.targetId && e.targetType === 'user') userIds.add(e.targetId);
      if (e.targetId && e.targetType === 'client') clientIds.add(e.targetId);
    }
    const [users, clients] = await Promise.all([this.users.findByIds([...userIds]), this.clients.namesOf([...clientIds])]);
    const labels = new Map<string, string>(clients);
    for (const u of users) labels.set(u.id, u.displayName ? `${u.displayName} <${u.email}>` : u.email);
    return labels;
  }

  /**
   * Events as the admin pages show them: the API view plus the action in words and the actor
   * and target by name (`undefined` where no name is known: an operator, a deleted user).
   */
  async describe(events: readonly AuditEvent[]): Promise<DescribedAuditEvent[]> {
    const labels = await this.labels(events);
    return events.map((e) => {
      const view = toAuditEventView(e);
      return {
        ...view,
        actionLabel: actionLabel(e.action),
        actorLabel: e.actorId ? labels.get(e.actorId) : undefined,
        targetLabel: e.targetId ? labels.get(e.targetId) : undefined,
        credentialLabel: e.credentialKind ? (this.strategies.labelOf(e.credentialKind) ?? e.credentialKind) : undefined,
        // The view's details: rows written before the camelCase keys read like new ones.
        detailsText: view.details ? JSON.stringify(view.details) : '',
      };
    });
  }

  private async idsFor(value: string | undefined): Promise<string | string[] | undefined> {
    if (!value) return undefined;
    const v = value.trim();
    if (v.includes('@')) {
      const user = await this.users.findByEmail(v);
      return user ? [user.id] : [];
    }
    // An id as stored (a UUID, a client_id, an operator's name): as before.
    if (UUID.test(v) || v.startsWith('ghc_')) return v;
    const named = await this.clients.idsNamed(v);
    return named.length > 0 ? named : v;
  }
}
