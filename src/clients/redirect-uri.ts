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

/**
 * `http://` + a literal loopback IP + an optional port + the rest. Nothing is normalised: scheme
 * and host must be spelled exactly so, with no user-info (RFC 8252 §7.3, §8.3).
 */
const LOOPBACK_IP_URI = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([1-9][0-9]{0,4}))?([/?][^#]*)?$/;

function loopbackParts(uri: string): { host: string; port: number | undefined; rest: string } | null {
  const m = LOOPBACK_IP_URI.exec(uri);
  if (!m) return null;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && port > 65535) return null;
  return { host: m[1], port, rest: m[3] ?? '' };
}

/**
 * Whether `given` matches one of the `registered` redirect URIs: exact string comparison
 * (RFC 9700 §2.1), except that for a registered `http://127.0.0.1…` or `http://[::1]…` URI any
 * port is accepted (RFC 8252 §7.3: native apps listen on an ephemeral port). Only the port may
 * differ: `localhost`, other hosts, user-info, case or path variants never match.
 */
export function matchesRegisteredRedirectUri(given: string, registered: readonly string[]): boolean {
  if (registered.includes(given)) return true;
  const g = loopbackParts(given);
  if (!g) return false;
  return registered.some((uri) => {
    const r = loopbackParts(uri);
    return r !== null && r.host === g.host && r.rest === g.rest;
  });
}
