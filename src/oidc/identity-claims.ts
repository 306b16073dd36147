import { OidcScope } from './oidc.scopes';

/** The account fields identity claims are made from. */
export interface ClaimSource {
  id: string;
  email: string;
  displayName: string;
  kind?: string;
  updatedAt?: Date;
}

/** The claims Gatehouse can release (Discovery §3 `claims_supported`). */
export const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'at_hash',
  'sid',
  'act',
  'name',
  'preferred_username',
  'updated_at',
  'email',
  'email_verified',
] as const;

/**
 * The standard claims a set of scopes releases (Core §5.4): `profile` gives `name`,
 * `preferred_username` (Gatehouse has no separate user name: the sign-in email) and
 * `updated_at` (seconds since the epoch); `email` gives `email` and `email_verified`, which is
 * false: accounts are created by administrators and Gatehouse never proves the address.
 * `sub` is the caller's to add.
 */
export function identityClaims(user: ClaimSource, scopes: ReadonlySet<string> | readonly string[]): Record<string, unknown> {
  const has = (s: string) => (Array.isArray(scopes) ? scopes.includes(s) : (scopes as ReadonlySet<string>).has(s));
  return {
    ...(has(OidcScope.Profile)
      ? {
          name: user.displayName,
          preferred_username: user.email,
          ...(user.updatedAt ? { updated_at: Math.floor(user.updatedAt.getTime() / 1000) } : {}),
        }
      : {}),
    ...(has(OidcScope.Email) ? { email: user.email, email_verified: false } : {}),
  };
}
