import { HttpStatus } from '@nestjs/common';
import type { AuditRecord } from '../audit/audit.service';
import type { RequestMeta } from '../common/request-meta';

/** Why a passkey ceremony was refused, as the audit log records it (`details.reason`) and JSON answers name it (`error`). */
export type PasskeyRefusalReason =
  | 'malformed_response'
  | 'challenge_missing'
  | 'challenge_expired'
  | 'verification_failed'
  | 'already_registered'
  | 'unknown_credential'
  | 'wrong_user'
  | 'counter_regression'
  | 'user_disabled'
  | 'credentials_revoked';

/** A refused passkey registration or sign-in: a 4xx with a message for the page. Nothing is stored. */
export class PasskeyError extends Error {
  constructor(
    readonly reason: PasskeyRefusalReason,
    readonly status: HttpStatus,
    message: string,
    /** A short, non-secret detail for the audit log (the library's error text, trimmed). */
    readonly detail?: string,
    /** The passkey the response was for, once known (the audit log names its owner and it). */
    public passkey?: { id: string; userId: string },
  ) {
    super(message);
  }
}

export const TRY_AGAIN = 'Try again.';

export const refusals = {
  malformed: (detail?: string) =>
    new PasskeyError(
      'malformed_response',
      HttpStatus.BAD_REQUEST,
      `That is not a passkey response this site can read. ${TRY_AGAIN}`,
      detail,
    ),
  challengeMissing: () =>
    new PasskeyError(
      'challenge_missing',
      HttpStatus.BAD_REQUEST,
      `This passkey request is not the one this page started, or it was already used. ${TRY_AGAIN}`,
    ),
  challengeExpired: () =>
    new PasskeyError('challenge_expired', HttpStatus.BAD_REQUEST, `The passkey request took too long and expired. ${TRY_AGAIN}`),
  verificationFailed: (detail?: string) =>
    new PasskeyError('verification_failed', HttpStatus.BAD_REQUEST, `The passkey response could not be verified. ${TRY_AGAIN}`, detail),
};

/** A refusal as JSON answers it: `{ statusCode, error: <reason>, message, requestId }` (sent with `err.status`). */
export function passkeyErrorBody(err: PasskeyError, requestId: string) {
  return { statusCode: err.status, error: err.reason, message: err.message, requestId };
}

/** How the audit log records a refused ceremony: the response was unreadable or did not verify (`failed`), or it was refused (`denied`). */
export function refusalOutcome(err: PasskeyError): 'failed' | 'denied' {
  return err.reason === 'malformed_response' || err.reason === 'verification_failed' ? 'failed' : 'denied';
}

/**
 * The `passkey.counter_regression` event (outcome `denied`, actor the passkey's owner, target the
 * passkey) a refused assertion calls for (WebAuthn Level 3 §6.1.1: a signature counter that did not
 * grow hints at a cloned authenticator), or null for any other refusal. Sign-in and step-up record it alike.
 */
export function counterRegressionEvent(err: PasskeyError, meta: Partial<RequestMeta>): AuditRecord | null {
  if (err.reason !== 'counter_regression' || !err.passkey) return null;
  return {
    action: 'passkey.counter_regression',
    outcome: 'denied',
    actor: { type: 'user', id: err.passkey.userId },
    target: { type: 'passkey', id: err.passkey.id },
    meta,
    details: { detail: err.detail },
  };
}
