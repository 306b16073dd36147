import type { FastifyReply } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The site-wide policy for pages: scripts, styles and forms from this origin only, never framed. */
const PAGE_POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  // Only meaningful over https; harmless otherwise.
  hsts: { maxAge: 15552000, includeSubDomains: true },
};

/** JSON and other non-page responses: the short set that still matters when no document renders. */
const API_POLICY: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  hsts: PAGE_POLICY.hsts,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

type HeaderMap = Readonly<Record<string, string>>;

/**
 * Runs helmet once against a stand-in response and keeps the headers it set: helmet stays the
 * source of truth for header values, and requests pay for a plain copy instead of rebuilding the
 * header functions and re-parsing the CSP each time.
 */
function headersOf(options: HelmetOptions): HeaderMap {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => (failure = err));
  if (failure) throw failure;
  return Object.freeze(headers);
}

const PAGE_HEADERS = headersOf(PAGE_POLICY);
const API_HEADERS = headersOf(API_POLICY);

/** The pages' Content-Security-Policy, for the few handlers that narrow or widen one directive. */
export const PAGE_CSP = PAGE_HEADERS['content-security-policy'];

/**
 * Security headers suited to the response (call from onSend, when the content type is known):
 * pages get the CSP above and helmet's full set, everything else the short set. A header the
 * handler already set (a page-specific CSP) is kept.
 */
export function applySecurityHeaders(reply: FastifyReply): void {
  const type = reply.getHeader('content-type');
  const headers = typeof type === 'string' && type.startsWith('text/html') ? PAGE_HEADERS : API_HEADERS;
  for (const name in headers) {
    if (!reply.hasHeader(name)) void reply.header(name, headers[name]);
  }
}
