import type { ScopeDefinition } from '../auth/scope-registry';

/** The OpenID Connect scopes (Core §3.1.2.1, §5.4): identity claims, not API permissions. */
export const OidcScope = {
  OpenId: 'openid',
  Profile: 'profile',
  Email: 'email',
} as const;

const EVERYONE = ['admin', 'user', 'viewer'] as const;

/**
 * Every person holds them: what they release is the user's own identity, shown on the consent
 * page. Identity scopes: never on API keys, bot tokens or client_credentials tokens.
 */
export const OIDC_SCOPES: ScopeDefinition[] = [
  { name: OidcScope.OpenId, description: 'Sign you in: learn your Gatehouse account identifier', grantedTo: EVERYONE, identity: true },
  { name: OidcScope.Profile, description: 'See your name and username', grantedTo: EVERYONE, identity: true },
  { name: OidcScope.Email, description: 'See your email address', grantedTo: EVERYONE, identity: true },
];
