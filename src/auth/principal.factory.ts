import { Injectable } from '@nestjs/common';
import type { CredentialKind, Principal } from './principal';
import { ScopeRegistry } from './scope-registry';

export interface PrincipalUser {
  id: string;
  email: string;
  displayName: string;
  roles: readonly string[];
  /** Bot users are `bot`; absent means a person. */
  kind?: 'person' | 'bot';
}

/** Builds Principals so every strategy computes effective scopes the same way. */
@Injectable()
export class PrincipalFactory {
  constructor(private readonly scopes: ScopeRegistry) {}

  /**
   * A user acting through a credential. Effective scopes are what the credential was granted
   * intersected with what the user's roles hold right now (all of them for a session).
   */
  forUser(user: PrincipalUser, credential: { kind: CredentialKind; id: string }, granted?: Iterable<string>, clientId?: string): Principal {
    const held = this.scopes.permissionsFor(user.roles);
    const effective = granted === undefined ? held : new Set([...granted].filter((s) => held.has(s)));
    return {
      actor: { type: 'user', id: user.id },
      user: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles, ...(user.kind ? { kind: user.kind } : {}) },
      clientId,
      credential,
      scopes: effective,
    };
  }

  /** A client acting as its own service identity (client credentials grant). */
  forClient(clientId: string, credential: { kind: CredentialKind; id: string }, granted: Iterable<string>): Principal {
    return { actor: { type: 'client', id: clientId }, clientId, credential, scopes: new Set(granted) };
  }
}
