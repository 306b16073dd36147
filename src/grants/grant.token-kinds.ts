import { defineTokenKind } from '../auth/token-format';

/** The secrets of a grant (registered by the grants module). */
export const REFRESH_TOKEN = defineTokenKind('ghrt', 'OAuth refresh token');
export const AUTHORIZATION_CODE = defineTokenKind('ghac', 'OAuth authorization code');
