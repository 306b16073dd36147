import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthScheme } from '../principal';
import { DEFAULT_SCHEMES, ROUTE_AUTH, RouteAuth } from '../route-auth';

export interface AuthenticatedOptions {
  /** The principal must hold every one of these. */
  scopes?: readonly string[];
  /** Accepted schemes; Bearer and cookie by default. `secret` only where a route opts in. */
  schemes?: readonly AuthScheme[];
  /** A server-rendered page: an unauthenticated browser is sent to /login instead of a 401. */
  page?: boolean;
}

/** OpenAPI security scheme names, registered in the document builder (see openapi.ts). */
export const OPENAPI_SCHEME: Record<AuthScheme, string> = {
  bearer: 'bearer',
  cookie: 'cookie',
  secret: 'secret',
};

/**
 * The one decorator a protected route carries: it sets the accepted schemes, the required
 * scopes and the OpenAPI security together, so the three cannot drift apart.
 */
export function Authenticated(options: AuthenticatedOptions = {}) {
  const schemes = options.schemes ?? DEFAULT_SCHEMES;
  const scopes = options.scopes ?? [];
  const meta: RouteAuth = { public: false, schemes, scopes, page: options.page ?? false };
  return applyDecorators(
    SetMetadata(ROUTE_AUTH, meta),
    ...schemes.map((s) => ApiSecurity(OPENAPI_SCHEME[s])),
    ApiExtension('x-required-scopes', scopes),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential (RFC 6750 §3.1)' }),
    ...(scopes.length ? [ApiForbiddenResponse({ description: `Requires scope: ${scopes.join(' ')}` })] : []),
  );
}

/** Shorthand: `@Scopes('read:device')` = authenticated by Bearer or cookie, holding those scopes. */
export const Scopes = (...scopes: string[]) => Authenticated({ scopes });
