/** The second-factor kinds the MFA core itself offers (their ids in the SecondFactorRegistry). */
export const TOTP_FACTOR = 'totp';
export const RECOVERY_CODE_FACTOR = 'recovery-code';
