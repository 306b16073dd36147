/**
 * `%` and `_` are LIKE wildcards; literal text must escape them (and the escape itself). `!` is
 * the escape character because a backslash literal is read differently by MySQL and SQLite.
 */
export const LIKE_ESCAPE = "ESCAPE '!'";

export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
