/**
 * The end_session_endpoint's path (OpenID Connect RP-Initiated Logout 1.0 §2): the OpenID
 * Provider's metadata (OidcModule) advertises it, the oidc-logout module's EndSessionController serves it.
 */
export const END_SESSION_PATH = '/oauth/logout';
