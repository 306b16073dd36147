import type { ScopeDefinition } from '../auth/scope-registry';

export const ADMIN_SCOPE = 'admin';

export const USER_SCOPES: ScopeDefinition[] = [
  { name: ADMIN_SCOPE, description: 'Administer Gatehouse: users, clients, credentials and the audit log', grantedTo: ['admin'] },
];
