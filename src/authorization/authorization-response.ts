/**
 * The redirect back to the client: its registered URI (keeping any query it has, RFC 6749
 * §3.1.2) plus the response parameters and `iss` (RFC 9207 §2), undefined ones left out.
 */
export function authorizationResponseUrl(redirectUri: string, issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  url.searchParams.append('iss', issuer);
  return url.toString();
}

/**
 * The CSP `form-action` sources the consent page needs: browsers apply form-action to the
 * redirects that follow a form post, so the client's redirect URI must be allowed there.
 */
export function formActionSources(redirectUri: string): string {
  const url = new URL(redirectUri);
  // Private-use schemes of native apps have an opaque origin: allow the scheme.
  return `'self' ${url.origin !== 'null' ? url.origin : url.protocol}`;
}
