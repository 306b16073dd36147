/**
 * Errors the auth core raises, each carrying its HTTP status, its code and (for 401/403 on
 * resource routes) the RFC 6750 §3 `WWW-Authenticate` challenge. The global exception filter
 * turns them into responses; nothing else formats them.
 */
import { errorDescription } from './error-description';

export const REALM = 'gatehouse';

function challenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    // RFC 6750 §3: the values are quoted strings of printable ASCII without `"` and `\`.
    .map(([k, v]) => `${k}="${errorDescription(String(v))}"`);
  return `Bearer ${parts.join(', ')}`;
}

export abstract class AuthError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly wwwAuthenticate?: string;
}

/** No credential at all (RFC 6750 §3.1: no error code in the challenge). */
export class AuthenticationRequiredError extends AuthError {
  readonly status = 401;
  readonly code = 'unauthorized';
  readonly wwwAuthenticate = challenge({ realm: REALM });
  constructor(message = 'Authentication is required') {
    super(message);
  }
}

/** A token was presented but is malformed, unknown, expired or revoked (RFC 6750 §3.1 invalid_token). */
export class InvalidTokenError extends AuthError {
  readonly status = 401;
  readonly code = 'invalid_token';
  readonly wwwAuthenticate: string;
  constructor(message = 'The access token is invalid, expired or revoked') {
    super(message);
    this.wwwAuthenticate = challenge({ realm: REALM, error: 'invalid_token', error_description: message });
  }
}

/**
 * The request presents its credential wrongly: a token sent in more than one way, or an
 * Authorization header that is not `<scheme> <one token>` (RFC 6750 §3.1 invalid_request: 400).
 */
export class InvalidAuthRequestError extends AuthError {
  readonly status = 400;
  readonly code = 'invalid_request';
  readonly wwwAuthenticate: string;
  constructor(message: string) {
    super(message);
    this.wwwAuthenticate = challenge({ realm: REALM, error: 'invalid_request', error_description: message });
  }
}

/** Authenticated, but the credential lacks a required scope (RFC 6750 §3.1 insufficient_scope). */
export class InsufficientScopeError extends AuthError {
  readonly status = 403;
  readonly code = 'insufficient_scope';
  readonly wwwAuthenticate: string;
  constructor(readonly required: readonly string[]) {
    super(`This request requires the scope: ${required.join(' ')}`);
    this.wwwAuthenticate = challenge({
      realm: REALM,
      error: 'insufficient_scope',
      error_description: this.message,
      scope: required.join(' '),
    });
  }
}

/** The request used a scheme this route does not accept (e.g. `Secret` where only Bearer is allowed). */
export class SchemeNotAcceptedError extends AuthError {
  readonly status = 401;
  readonly code = 'unsupported_scheme';
  readonly wwwAuthenticate = challenge({ realm: REALM });
  constructor(scheme: string) {
    super(`This endpoint does not accept the ${scheme} scheme`);
  }
}

/** A cookie-authenticated unsafe request that is cross-site or lacks a valid CSRF token. */
export class CsrfError extends AuthError {
  readonly status = 403;
  readonly code = 'csrf_failed';
  readonly wwwAuthenticate = undefined;
}

/**
 * A session whose password is temporary, on anything but changing it or signing out. The
 * message names the endpoint, so a script knows what to do.
 */
export class PasswordChangeRequiredError extends AuthError {
  readonly status = 403;
  readonly code = 'password_change_required';
  readonly wwwAuthenticate = undefined;
  constructor() {
    super(
      'Your password is temporary: change it first with POST /account/password { currentPassword, newPassword } (the page is /account/password), or sign out',
    );
  }
}

/**
 * A session that has passed the password but not a further sign-in step (e.g. the second factor)
 * on a route that step does not allow: a 403 until the step is done (its page is `location`).
 */
export class SignInIncompleteError extends AuthError {
  readonly status = 403;
  readonly code = 'sign_in_incomplete';
  readonly wwwAuthenticate = undefined;
  constructor(readonly location: string) {
    super(`Sign-in is not complete: finish it at ${location} first, or sign out`);
  }
}

/** A browser sent to another page before this one: the filter answers `303 See Other` to `location`. */
export class PageRedirect extends Error {
  constructor(
    readonly location: string,
    message = 'See other',
  ) {
    super(message);
  }
}

/** An unauthenticated browser on a page route: the filter redirects it to the sign-in page. */
export class LoginRequiredRedirect extends PageRedirect {
  constructor(readonly returnTo: string) {
    super(`/login?next=${encodeURIComponent(returnTo)}`, 'Sign-in required');
  }
}
