import type { ScopeDefinition } from '../auth/scope-registry';

/** Create bots and manage the bots one is a manager of. Held by `admin` and `user`, not `viewer`. */
export const MANAGE_BOTS_SCOPE = 'manage:bots';

export const BOT_SCOPES: ScopeDefinition[] = [
  { name: MANAGE_BOTS_SCOPE, description: 'Create bot users and manage their tokens', grantedTo: ['admin', 'user'] },
];

/**
 * Permissions a bot may hold through its roles but no bot token can use: bot management is
 * cookie-only, and only people may be the actor of an impersonation. Never offered for tokens.
 */
export const NOT_FOR_BOT_TOKENS: ReadonlySet<string> = new Set([MANAGE_BOTS_SCOPE, 'impersonate']);
