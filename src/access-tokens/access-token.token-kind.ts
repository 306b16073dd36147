import { defineTokenKind } from '../auth/token-format';

/** The access tokens the OAuth endpoints issue (registered by the access-tokens module). */
export const ACCESS_TOKEN = defineTokenKind('ghat', 'OAuth access token');

/** `Principal.credential.kind` of a request authenticated by an OAuth access token (opaque or JWT). */
export const OAUTH_ACCESS_CREDENTIAL = 'oauth_access';
