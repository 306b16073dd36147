import { HttpStatus } from '@nestjs/common';

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
