import { defineTokenKind } from '../auth/token-format';

/** The secrets the OAuth endpoints issue (registered by the grants and code-flow modules). */
export const ACCESS_TOKEN = defineTokenKind('ghat', 'OAuth access token');
export const REFRESH_TOKEN = defineTokenKind('ghrt', 'OAuth refresh token');
export const AUTHORIZATION_CODE = defineTokenKind('ghac', 'OAuth authorization code');

/** `Principal.credential.kind` of a request authenticated by an OAuth access token (opaque or JWT). */
export const OAUTH_ACCESS_CREDENTIAL = 'oauth_access';
