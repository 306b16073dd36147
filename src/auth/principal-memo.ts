import type { Principal } from './principal';

/**
 * One immutable Principal per cached credential row. A strategy whose Principal is a function of
 * the row its credential lookup returned (and of registries fixed at start-up) builds it once per
 * row object instead of once per request: the credential cache hands out the same row object
 * until the entry expires or is invalidated, and a reloaded row is a new object, so a revocation,
 * a narrowed role or scope, or an edited user is seen exactly when the cache sees it (the cache's
 * exactness rules are unchanged). Rows are held weakly: an entry goes with its row.
 *
 * Only for what the row alone decides; per-request checks (expiry, CSRF, idle time) stay in the
 * strategy. The Principal is frozen, since several requests share it.
 */
export class PrincipalMemo<S extends object> {
  private readonly bySource = new WeakMap<S, Principal>();

  of(source: S, build: (source: S) => Principal): Principal {
    let principal = this.bySource.get(source);
    if (!principal) {
      principal = freezePrincipal(build(source));
      this.bySource.set(source, principal);
    }
    return principal;
  }
}

/** Freezes the Principal and the objects it owns (not the row data it refers to, such as `user.roles`). */
export function freezePrincipal(p: Principal): Principal {
  Object.freeze(p.actor);
  if (p.user) Object.freeze(p.user);
  Object.freeze(p.credential);
  if (p.act) Object.freeze(p.act);
  return Object.freeze(p);
}
