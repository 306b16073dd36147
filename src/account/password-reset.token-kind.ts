import { defineTokenKind } from '../auth/token-format';

export const PASSWORD_RESET_TOKEN = defineTokenKind('ghpr', 'password reset link');
