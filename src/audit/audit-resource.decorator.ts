import { SetMetadata } from '@nestjs/common';

export const AUDIT_RESOURCE = 'gatehouse:audit-resource';

/**
 * Every unsafe request to this controller is audited with its outcome, as the action its
 * handler declares with @AuditAction (names are declared, never derived from method names).
 */
export const AuditResource = (resourceType: string) => SetMetadata(AUDIT_RESOURCE, resourceType);
