import { userInfo } from 'node:os';
import type { AuditRecord, AuditService } from '../audit/audit.service';

/** The audit actor for CLI actions: the OS account that ran the command, the best identity there is. */
function operatorActor(): NonNullable<AuditRecord['actor']> {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    // A container uid without a passwd entry.
    name = `uid:${process.getuid?.() ?? 'unknown'}`;
  }
  return { type: 'operator', id: name.slice(0, 64) };
}

/** Records a successful CLI action, so operator changes show up in the same audit log as admin ones. */
export function auditOperatorAction(
  audit: AuditService,
  action: string,
  target: NonNullable<AuditRecord['target']>,
  details: Record<string, unknown>,
): Promise<void> {
  return audit.record({ action, outcome: 'success', actor: operatorActor(), credential: { kind: 'cli', id: 'cli' }, target, details });
}
