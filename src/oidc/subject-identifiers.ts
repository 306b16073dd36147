/**
 * Subject identifiers (OpenID Connect Core §8): Gatehouse issues `public` identifiers only, the
 * account's UUID: the same for every client, stable for the account's life, never reassigned and
 * never the email (which can change). A bot's subject is the bot account's own id, not its
 * manager's. Pairwise identifiers (§8.1) are not offered.
 */
export const SUBJECT_TYPES_SUPPORTED = ['public'] as const;
export type SubjectType = (typeof SUBJECT_TYPES_SUPPORTED)[number];

/** The `sub` of an account (Core §2, §5.1). */
export function subjectOf(user: { id: string }): string {
  return user.id;
}
