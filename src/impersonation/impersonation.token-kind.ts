import { defineTokenKind } from '../auth/token-format';

export const IMPERSONATION_TOKEN = defineTokenKind('ghimp', 'impersonation access token (RFC 8693 token exchange)');

/** `Principal.credential.kind` of a request authenticated by an impersonation token. */
export const IMPERSONATION_CREDENTIAL = 'impersonation';
