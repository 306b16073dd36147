import type { ScopeDefinition } from '../auth/scope-registry';

/** Act as another (non-admin) person for a short time, through token exchange. Admins only. */
export const IMPERSONATE_SCOPE = 'impersonate';

export const IMPERSONATION_SCOPES: ScopeDefinition[] = [
  {
    name: IMPERSONATE_SCOPE,
    description: 'Act as another user for a short time (support); recorded and shown to them',
    grantedTo: ['admin'],
  },
];
