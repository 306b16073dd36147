/**
 * A browser-facing endpoint that must accept a form POST as well as GET (OpenID Connect Core
 * §3.1.2.1 for the authorization endpoint, RP-Initiated Logout 1.0 §2 for the end-session
 * endpoint) answers the POST with a `303` to the same path as a GET with the same parameters.
 * The GET does all the work: a cross-site POST carries no SameSite cookie and no CSRF token, so
 * handling it in place would meet neither the session nor the form checks.
 *
 * @param path the GET's path (`/oauth/authorize`)
 * @param body the parsed request body (Fastify's form parser gives an object of strings; a
 *   parameter given twice is an array)
 * @returns `{ location }` for the 303, or `{ problem }` naming what is wrong when the body is not
 *   a form of single text values (the caller renders its own error page, a 4xx)
 */
export function formPostAsGet(path: string, body: unknown): { location: string } | { problem: string } {
  const fields = body === undefined ? {} : body;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    return { problem: 'the body must be a form (application/x-www-form-urlencoded)' };
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
    if (typeof value !== 'string') return { problem: `${name} must be given once, as text` };
    query.append(name, value);
  }
  return { location: `${path}${query.size ? `?${query.toString()}` : ''}` };
}
