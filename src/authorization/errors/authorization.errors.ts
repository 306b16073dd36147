/**
 * Errors of the authorization endpoint (RFC 6749 §4.1.2.1). They never reach the global
 * filter: AuthorizationErrorFilter renders them, because one kind must stay on Gatehouse and
 * the other goes back to the client.
 */

/** The client or redirect URI cannot be trusted: show an error page and never redirect (no open redirector). */
export class AuthorizationPageError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client',
    message: string,
  ) {
    super(message);
  }
}

export type AuthorizationRedirectErrorCode =
  | 'invalid_request'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unauthorized_client'
  // OpenID Connect Core §3.1.2.6
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported';

/** A verified redirect URI is known: the error goes back to it with `state` and `iss` (RFC 9207). */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly error: AuthorizationRedirectErrorCode,
    message: string,
  ) {
    super(message);
  }
}
