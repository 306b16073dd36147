import { defineTokenKind } from '../auth/token-format';

export const DEVICE_CODE = defineTokenKind('ghdc', 'OAuth device code (RFC 8628)');
