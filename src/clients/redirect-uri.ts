/**
 * Redirect URI registration rules (RFC 6749 §3.1.2, RFC 8252 §7.3/§8.3, RFC 9700 §2.1):
 * absolute, no fragment, no credentials, https — or http on a loopback host for native apps.
 * Registered URIs are matched later by exact string comparison, so none is normalised here.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
export const MAX_REDIRECT_URI_LENGTH = 2000;

/** Why a redirect URI cannot be registered, or null when it can. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length === 0 || uri.length > MAX_REDIRECT_URI_LENGTH) return `must be 1 to ${MAX_REDIRECT_URI_LENGTH} characters`;
  if (/\s/.test(uri)) return 'must not contain whitespace';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (uri.includes('#')) return 'must not contain a fragment (RFC 6749 §3.1.2)';
  if (url.username || url.password) return 'must not contain user credentials';
  if (url.protocol === 'https:') return url.hostname ? null : 'must name a host';
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname) ? null : 'must use https (http only on a loopback host: 127.0.0.1, [::1], localhost)';
  }
  return 'must use https (custom schemes are not supported)';
}
