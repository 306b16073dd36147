/** Only same-site relative paths are allowed as a post-sign-in destination (no open redirect). */
export function safeReturnPath(next: unknown, fallback = '/account'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  return next;
}
