import { HttpStatus } from '@nestjs/common';

/**
 * Why an SSO sign-in was refused, as recorded in the audit log (`details.reason`). Each renders
 * as a readable page with its status; none starts a session.
 */
export type SsoRefusalReason =
  | 'unknown_connection'
  | 'connection_disabled'
  | 'state_missing'
  | 'state_mismatch'
  | 'state_replayed'
  | 'bad_callback'
  | 'upstream_error'
  | 'token_refused'
  | 'invalid_response'
  | 'idp_unreachable'
  | 'idp_timeout'
  | 'idp_bad_response'
  | 'no_email'
  | 'email_domain_not_allowed'
  | 'account_exists'
  | 'user_disabled'
  | 'not_a_person'
  | 'identity_taken';

/** A refused SSO sign-in: the status and message for the page, the reason for the audit log. */
export class SsoSignInError extends Error {
  constructor(
    readonly reason: SsoRefusalReason,
    readonly status: HttpStatus,
    message: string,
    /** A short, non-secret detail for the audit log (an upstream error code, a library error code). */
    readonly detail?: string,
  ) {
    super(message);
  }
}
