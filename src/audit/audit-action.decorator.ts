import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'gatehouse:audit-action';

export interface AuditActionMeta {
  action: string;
  /** The type of the route's `:id` (or of the created object's id). */
  targetType?: string;
  /** The route parameter naming the target, when it is not `id`. */
  targetParam?: string;
}

/**
 * Every request to this handler, read or write, is audited as `action` with its outcome,
 * its actor and target. Used by routes that are themselves sensitive (the admin module).
 */
export const AuditAction = (action: string, targetType?: string, targetParam?: string) =>
  SetMetadata<string, AuditActionMeta>(AUDIT_ACTION, { action, targetType, targetParam });
