/** Scopes are stored and sent space-delimited (RFC 6749 §3.3); in code they are string arrays. */
export const scopeListTransformer = {
  to: (scopes: readonly string[]) => scopes.join(' '),
  from: (value: string | null) => splitScopes(value ?? ''),
};

export function splitScopes(value: string): string[] {
  return [...new Set(value.split(' ').filter(Boolean))];
}

export function formatScopes(scopes: Iterable<string>): string {
  return [...scopes].join(' ');
}

/** Every scope of `subset` is in `superset`. */
export function isSubset(subset: readonly string[], superset: readonly string[]): boolean {
  const sup = new Set(superset);
  return subset.every((s) => sup.has(s));
}
