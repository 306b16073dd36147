import { ConflictException } from '@nestjs/common';

/**
 * Accounts that have no password by design (issue 22 §5): a bot (an integration's identity), and
 * next an SSO-only user (signs in only through the company's identity provider). Their
 * `password_hash` holds a marker `!<reason>` instead of a hash: not in the scrypt format, so no
 * password ever verifies against it. Every path that sets, resets or mails a password checks
 * `noPasswordReason` first and refuses with NoPasswordByDesignError (409), or, where the answer
 * must not tell whether an account exists (the reset-link request by email), sends nothing.
 */
export type NoPasswordReason = 'bot' | 'sso';

const LABELS: Record<NoPasswordReason, string> = {
  bot: 'a bot, which authenticates only with its tokens',
  sso: 'an SSO-only account, which signs in only through its identity provider',
};

/** The stored marker for an account that has no password by design. */
export function noPasswordMarker(reason: NoPasswordReason): string {
  return `!${reason}`;
}

/** Why the account has no password by design, or null when it is an ordinary password account. */
export function noPasswordReason(user: { passwordHash?: string; kind?: string }): NoPasswordReason | null {
  if (user.kind === 'bot') return 'bot';
  if (user.passwordHash?.startsWith('!')) return user.passwordHash === '!bot' ? 'bot' : 'sso';
  return null;
}

/** 409: a password operation on an account that has no password by design, saying which kind it is. */
export class NoPasswordByDesignError extends ConflictException {
  constructor(readonly reason: NoPasswordReason) {
    super(`This account has no password by design (${LABELS[reason]}): no password can be set, reset or sent for it.`);
  }
}

/** Throws NoPasswordByDesignError for an account without a password by design. */
export function assertHasPassword(user: { passwordHash?: string; kind?: string }): void {
  const reason = noPasswordReason(user);
  if (reason) throw new NoPasswordByDesignError(reason);
}
