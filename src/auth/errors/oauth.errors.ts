import { REALM } from './auth.errors';
import { errorDescription } from './error-description';
import type { RenderableError, RenderedError } from '../../common/renderable-error';

/** The challenge of the client-authenticated endpoints (token, revocation, introspection). */
const CLIENT_CHALLENGE = `Basic realm="${REALM}"`;

/**
 * RFC 6749 §5.2 errors of the token, revocation and introspection endpoints. Each carries its
 * code and status and renders itself (the global filter imports nothing from here):
 * `{ error, error_description }` with `Cache-Control: no-store`.
 */
export abstract class OAuthError extends Error implements RenderableError {
  abstract readonly error: string;
  readonly status: number = 400;

  constructor(readonly description: string) {
    super(description);
  }

  protected extraHeaders(): Record<string, string> {
    return {};
  }

  render(): RenderedError {
    const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache', ...this.extraHeaders() };
    // RFC 9110 §15.5.2: a 401 always carries a challenge; these endpoints take HTTP Basic (RFC 6749 §2.3.1).
    if (this.status === 401) headers['www-authenticate'] ??= CLIENT_CHALLENGE;
    return { status: this.status, body: { error: this.error, error_description: errorDescription(this.description) }, headers };
  }
}

export class InvalidRequestError extends OAuthError {
  readonly error = 'invalid_request';
}

/**
 * Client authentication failed. RFC 6749 §5.2: 401 with a `WWW-Authenticate: Basic` challenge,
 * whichever way the client tried (as every 401 of this class: see `render`).
 */
export class InvalidClientError extends OAuthError {
  readonly error = 'invalid_client';
  override readonly status = 401;
}

export class InvalidGrantError extends OAuthError {
  readonly error = 'invalid_grant';
}

export class UnauthorizedClientError extends OAuthError {
  readonly error = 'unauthorized_client';
}

export class UnsupportedGrantTypeError extends OAuthError {
  readonly error = 'unsupported_grant_type';
}

export class InvalidScopeError extends OAuthError {
  readonly error = 'invalid_scope';
}

/** RFC 7009 §2.2.1: the server does not revoke this token type. */
export class UnsupportedTokenTypeError extends OAuthError {
  readonly error = 'unsupported_token_type';
}

/** Rate limit on the token endpoints: 429 with Retry-After (not an RFC 6749 code). */
export class TooManyTokenRequestsError extends OAuthError {
  readonly error = 'too_many_requests';
  override readonly status = 429;

  constructor(readonly retryAfterSeconds: number) {
    super('Too many token requests; try again later');
  }

  protected override extraHeaders(): Record<string, string> {
    return { 'retry-after': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
  }
}

/**
 * RFC 8693 §2.2.2 / RFC 8707 §2: the server will not issue a token for the `resource` or
 * `audience` asked for (unknown, malformed, or not supported by the grant).
 */
export class InvalidTargetError extends OAuthError {
  readonly error = 'invalid_target';
}
