import { COMMON_PASSWORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * The strength rule for a password a person chooses (NIST SP 800-63B §5.1.1.2): at least 12
 * characters, no composition rules, and refused when it is a commonly used password or made of
 * the account's own email or name. Returns the reason in words, or null when it is acceptable.
 */
export function passwordProblem(password: string, account: { email: string; displayName?: string }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) return 'This password is too common: choose one that is hard to guess.';
  // Mostly the account's own email or name: little more than what an attacker knows already.
  const own = [account.email.toLowerCase(), account.email.toLowerCase().split('@')[0], (account.displayName ?? '').toLowerCase()];
  if (own.some((w) => w.length >= 4 && lower.includes(w) && lower.length - w.length < 6)) {
    return 'Do not build your password from your email address or name.';
  }
  return null;
}
