import { OAuthError } from '../auth/errors/oauth.errors';

/** RFC 8628 §3.5: the user has not decided yet; the device keeps polling at its interval. */
export class AuthorizationPendingError extends OAuthError {
  readonly error = 'authorization_pending';
}

/** RFC 8628 §3.5: polled faster than the interval; the interval is now 5 s longer. */
export class SlowDownError extends OAuthError {
  readonly error = 'slow_down';
}

/** RFC 8628 §3.5: the user denied the request; the device stops polling. */
export class AccessDeniedError extends OAuthError {
  readonly error = 'access_denied';
}

/** RFC 8628 §3.5: the device code expired; the device may start over. */
export class ExpiredTokenError extends OAuthError {
  readonly error = 'expired_token';
}
