/** Client vocabulary shared by the clients module and the OAuth endpoints. */
export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** The device authorization grant's `grant_type` (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8693 §2.1 token exchange (impersonation with `act`; the impersonation module). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The grant types a client can be allowed (RFC 6749 §4, RFC 8628, RFC 8693). */
export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  DEVICE_CODE_GRANT_TYPE,
  TOKEN_EXCHANGE_GRANT,
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export type ClientStatus = 'active' | 'disabled';

/** The access-token formats a client can be issued: opaque `ghat_…` or RFC 9068 JWT. */
export const ACCESS_TOKEN_FORMATS = ['opaque', 'jwt'] as const;
export type AccessTokenFormat = (typeof ACCESS_TOKEN_FORMATS)[number];

/** Asymmetric JWS algorithms for JWT access tokens (RFC 7518 §3.1). ES256 is the default. */
export const JWT_SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type JwtSigningAlg = (typeof JWT_SIGNING_ALGS)[number];

/** Grant types in words, for the pages' checkboxes. */
export const GRANT_TYPE_LABELS: Record<GrantType, string> = {
  authorization_code: 'Authorization code (people sign in and approve; needs a redirect URI)',
  refresh_token: 'Refresh tokens (with the authorization code or device flow)',
  client_credentials: 'Client credentials (the app acts as itself; confidential clients only)',
  [DEVICE_CODE_GRANT_TYPE]: 'Device code (TVs and command-line tools: people approve on another device)',
  [TOKEN_EXCHANGE_GRANT]: 'Token exchange (support staff act for a user, RFC 8693; confidential clients only)',
};
