import { Injectable } from '@nestjs/common';
import type { Role } from './roles';

export interface ScopeDefinition {
  /** e.g. `read:device`. Permissions and OAuth scopes share this vocabulary. */
  name: string;
  /** Shown to people on consent and token pages. */
  description: string;
  /** Roles that hold this permission. */
  grantedTo: readonly Role[];
  /**
   * An OpenID Connect identity scope (`openid`, `profile`, `email`): it means something only in a
   * person's sign-in to an app (the code flow), never on a token minted directly (API keys, bot
   * tokens) or one a client gets for itself (client_credentials). Not offered there, and refused.
   */
  identity?: true;
}

/**
 * The closed registry of scopes. Each feature module registers the scopes it owns when it is
 * constructed; anything not registered is not a scope (requests for it are refused).
 */
@Injectable()
export class ScopeRegistry {
  private readonly scopes = new Map<string, ScopeDefinition>();

  register(definitions: readonly ScopeDefinition[]): void {
    for (const def of definitions) {
      const existing = this.scopes.get(def.name);
      if (existing && existing.description !== def.description) {
        throw new Error(`Scope ${def.name} is registered twice with different definitions`);
      }
      this.scopes.set(def.name, def);
    }
  }

  has(name: string): boolean {
    return this.scopes.has(name);
  }

  list(): ScopeDefinition[] {
    return [...this.scopes.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  describe(name: string): string | undefined {
    return this.scopes.get(name)?.description;
  }

  /** The permissions a set of roles holds. */
  permissionsFor(roles: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const def of this.scopes.values()) {
      if (def.grantedTo.some((r) => roles.includes(r))) out.add(def.name);
    }
    return out;
  }

  /** The identity scopes among `requested` (see ScopeDefinition.identity). */
  identityScopes(requested: Iterable<string>): string[] {
    return [...requested].filter((s) => this.scopes.get(s)?.identity === true);
  }

  /** Scopes in `requested` that are not registered. */
  unknown(requested: Iterable<string>): string[] {
    return [...requested].filter((s) => !this.scopes.has(s));
  }
}
