import { defineTokenKind } from '../auth/token-format';

/** The session secret sealed inside the cookie (its SHA-256 is what `sessions` stores). */
export const SESSION_TOKEN = defineTokenKind('ghss', 'browser session id (inside the sealed cookie)');

/** `Principal.credential.kind` of a browser session; audit rows and page logic name it. */
export const SESSION_CREDENTIAL = 'session';
