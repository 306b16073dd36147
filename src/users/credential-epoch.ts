/**
 * The per-subject credential epoch (issue 22 §1): `users.credentials_revoked_at`, the moment the
 * user's access was last ended. Everything issued to the user before it that is not yet a token,
 * or is a derived token (authorization codes, approved device codes, refresh families, opaque and
 * JWT access tokens, impersonation tokens acting for the user, password-reset links) is refused
 * when it is redeemed or presented. Sessions and PATs are ended explicitly by the event that
 * needs it (a password change keeps the session that made it).
 *
 * A credential issued in the same millisecond as the epoch counts as before it (refused): a
 * retry is cheap, a survivor is not.
 */
export interface HasCredentialEpoch {
  credentialsRevokedAt?: Date | null;
}

/** Whether a credential issued at `issuedAt` predates the subject's credential epoch (then refuse it). */
export function issuedBeforeEpoch(subject: HasCredentialEpoch | null | undefined, issuedAt: Date | null | undefined): boolean {
  const epoch = subject?.credentialsRevokedAt;
  if (!epoch) return false;
  return !issuedAt || issuedAt.getTime() <= epoch.getTime();
}
