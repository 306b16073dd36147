import { defineTokenKind } from '../auth/token-format';

export const PAT_TOKEN = defineTokenKind('ghpat', 'personal access token');

/** `Principal.credential.kind` of a request authenticated by a PAT. */
export const PAT_CREDENTIAL = 'pat';
