import type { AuthScheme } from './principal';

/** A route's auth declaration, as set by @Public() or @Authenticated(). */
export type RouteAuth = { public: true } | { public: false; schemes: readonly AuthScheme[]; scopes: readonly string[]; page: boolean };

export const ROUTE_AUTH = 'gatehouse:route-auth';

export const DEFAULT_SCHEMES: readonly AuthScheme[] = ['bearer', 'cookie'];
