import type { ScopeRegistry } from '../auth/scope-registry';
import type { Client } from '../clients/client.entity';

/**
 * Why `client` may not ask for `requested` (RFC 6749 §3.3: none, an unknown scope, or one it is
 * not registered for), or null when it may. Shared by the authorization endpoint and the device
 * authorization endpoint, which answer `invalid_scope` with this text.
 */
export function requestedScopeProblem(
  requested: readonly string[],
  client: Pick<Client, 'allowedScopes'>,
  registry: ScopeRegistry,
): string | null {
  if (requested.length === 0) return 'No scope was requested';
  const unknown = registry.unknown([...requested]);
  if (unknown.length > 0) return `Unknown scope: ${unknown.join(' ')}`;
  const notAllowed = requested.filter((s) => !client.allowedScopes.includes(s));
  if (notAllowed.length > 0) return `This client may not request: ${notAllowed.join(' ')}`;
  return null;
}
