import { defineTokenKind } from '../auth/token-format';

export const CLIENT_SECRET_TOKEN = defineTokenKind('ghcs', 'OAuth client secret');

/** `Principal.credential.kind` of a request authenticated by `Authorization: Secret` (and of client authentication at the OAuth endpoints). */
export const CLIENT_SECRET_CREDENTIAL = 'client_secret';
