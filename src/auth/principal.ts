/**
 * How the caller proved who they are: a name the module owning the credential chooses and
 * registers with its strategy (`AuthStrategyRegistry`); the auth core lists none.
 */
export type CredentialKind = string;

/** The auth schemes a route can accept. `cookie` is the browser session. */
export type AuthScheme = 'bearer' | 'cookie' | 'secret';

/**
 * The one identity every authenticated request carries, whichever scheme proved it.
 * `scopes` are already effective: what the credential was granted, intersected with
 * what its user holds right now.
 */
export interface Principal {
  /** Who acts: a user, or a client acting as its own service identity. */
  actor: { type: 'user' | 'client'; id: string };
  /** The user behind the request, when there is one (sessions, PATs, code-flow tokens, Secret). */
  user?: { id: string; email: string; displayName: string; roles: readonly string[]; kind?: 'person' | 'bot' };
  /** The OAuth client involved, when there is one. */
  clientId?: string;
  /** `createdBy`: the person who made the credential when they are not the actor (a bot's token). */
  credential: { kind: CredentialKind; id: string; createdBy?: string };
  scopes: ReadonlySet<string>;
  /**
   * When the credential stops working, taken by the strategy from the row it already loaded
   * (a session's absolute expiry; absent for credentials that never expire).
   */
  expiresAt?: Date;
  /** RFC 8693 §4.1 actor: who acts on the subject's behalf (impersonation tokens), when present. */
  act?: { sub: string };
  /**
   * A browser session whose user has a temporary password: it may only change the password or
   * sign out (the session cookie strategy enforces it). Never set for tokens.
   */
  passwordChangeRequired?: true;
  /**
   * A browser session that has passed the password but not a further sign-in step (its name, e.g.
   * a second factor): it reaches only the routes that step allows, and sign-out (the session
   * cookie strategy enforces it). Never set for tokens.
   */
  pendingStep?: string;
}

export function missingScopes(principal: Principal, required: readonly string[]): string[] {
  return required.filter((s) => !principal.scopes.has(s));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the global AuthenticationGuard; absent on public routes. */
    user?: Principal;
  }
}
