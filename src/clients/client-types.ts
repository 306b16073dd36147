/** Client vocabulary shared by the clients and grants modules. */
export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** The grant types a client can be allowed (RFC 6749 §4). */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export type ClientStatus = 'active' | 'disabled';
