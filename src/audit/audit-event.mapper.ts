import { camelCaseDetails } from './audit-details';
import type { AuditEvent } from './audit-event.entity';
import type { AuditEventView } from './dto/audit-event.view';

export function toAuditEventView(e: AuditEvent): AuditEventView {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    credentialKind: e.credentialKind,
    credentialId: e.credentialId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: e.outcome,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    details: parseDetails(e.details),
  };
}

function parseDetails(raw: string | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    return camelCaseDetails(JSON.parse(raw)) as Record<string, unknown>;
  } catch {
    // Written by this code as JSON; if a row is not, show it rather than fail the whole listing.
    return { raw };
  }
}
