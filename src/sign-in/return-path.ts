/** C0 and C1 control characters, DEL, and backslashes: browsers drop or reinterpret them in URLs. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * Where to send a browser after sign-in (`next`): the value resolved against `publicUrl`
 * (PUBLIC_URL), accepted only when it stays on that origin, and returned as the path, query
 * and fragment of the resolved URL, so what goes into `Location` is what was checked. A value
 * with a control character or a backslash anywhere (`/\t/evil.example/` becomes
 * `//evil.example/` in a browser) is refused. Anything refused gives `fallback` (RFC 9700 §4.11:
 * no open redirector).
 */
export function safeReturnPath(next: unknown, publicUrl: string, fallback = '/account'): string {
  if (typeof next !== 'string' || next === '' || UNSAFE_CHARACTERS.test(next)) return fallback;
  const base = new URL(publicUrl);
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || url.username || url.password) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * OpenID Connect `login_hint` (Core §3.1.2.1) of an authorization request the sign-in page
 * returns to: the email to pre-fill. Undefined for any other return path.
 */
export function loginHintOf(returnPath: string): string | undefined {
  const url = new URL(returnPath, 'http://gatehouse.invalid');
  if (url.pathname !== '/oauth/authorize') return undefined;
  const hint = url.searchParams.get('login_hint');
  return hint && hint.length <= 254 ? hint : undefined;
}
