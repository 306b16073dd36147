import { SetMetadata } from '@nestjs/common';

export const AUDIT_RESOURCE = 'gatehouse:audit-resource';

/** Every unsafe request to this controller is audited as `<resource>.<handler>` with its outcome. */
export const AuditResource = (resourceType: string) => SetMetadata(AUDIT_RESOURCE, resourceType);
