import { defineTokenKind } from '../auth/token-format';

export const BOT_TOKEN = defineTokenKind('ghbot', 'bot access token');

/** `Principal.credential.kind` of a request authenticated by a bot token. */
export const BOT_TOKEN_CREDENTIAL = 'bot_token';
