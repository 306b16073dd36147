/** The one JSON error shape of the API (OAuth endpoints use RFC 6749 §5.2 bodies instead). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
  details?: { field: string; problems: string[] }[];
}

/**
 * Fastify route config key (`@RouteConfig({ [OAUTH_ERROR_BODIES]: true })`): errors raised before
 * the handler runs (body too large, malformed body) answer as RFC 6749 §5.2 `invalid_request`,
 * not in the API's error shape. Set on the client-authenticated OAuth endpoints.
 */
export const OAUTH_ERROR_BODIES = 'oauthErrorBodies';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

export function codeForStatus(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}
