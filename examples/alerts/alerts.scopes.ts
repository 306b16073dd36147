import type { ScopeDefinition } from '../../src/auth/scope-registry';

export const AlertScope = {
  Read: 'read:alert',
  Write: 'write:alert',
} as const;

/** Registered by AlertsModule; roles that hold each (the ScopeRegistry refuses unknown scopes). */
export const ALERT_SCOPES: ScopeDefinition[] = [
  { name: AlertScope.Read, description: 'See the alert rules of your devices', grantedTo: ['admin', 'user', 'viewer'] },
  { name: AlertScope.Write, description: 'Add and delete alert rules on your devices', grantedTo: ['admin', 'user'] },
];
