/**
 * What each security event means to the account holder, in their words, for the Security events
 * page and `GET /account/security-events` (`summary`). Keyed by audit action, then by outcome
 * where success and failure read differently; an action missing here is shown by its code.
 */
export const SECURITY_EVENT_SUMMARIES: Readonly<Record<string, string | Readonly<Partial<Record<string, string>>>>> = {
  'auth.login': { success: 'Signed in with your password', failed: 'A sign-in with a wrong password', denied: 'A sign-in was refused' },
  'auth.login_delayed': 'Sign-ins to your account were slowed down after failed attempts',
  'auth.account_locked': 'Your account was locked after too many failed sign-ins',
  'auth.logout': 'Signed out',
  'auth.mfa': {
    success: 'Passed the second step of signing in',
    failed: 'A wrong second-step code or passkey',
    denied: 'A second step was refused',
  },
  'auth.mfa_locked': 'The second step was paused after too many wrong codes',
  'auth.passkey_login': { success: 'Signed in with a passkey', failed: 'A passkey sign-in failed' },
  'auth.sso_login': { success: 'Signed in through your organisation', failed: 'A sign-in through your organisation failed' },
  'auth.step_up': {
    success: 'Confirmed it was you before a sensitive action',
    failed: 'A wrong password or code when confirming it was you',
  },
  'session.revoke': 'A session was signed out',
  'session.revoke_others': 'Every other session was signed out',
  'pat.create': 'A personal access token was created',
  'pat.revoke': 'A personal access token was revoked',
  'token.issue': 'An application received a token for your account',
  'token.revoke': 'A token was revoked',
  'consent.grant': 'You authorized an application',
  'consent.revoke': 'An application’s access was removed',
  'authorization.revoke': 'An application’s access was removed',
  'device_authorization.request': 'A device asked to be connected to your account',
  'device_authorization.expire': 'A device request expired unanswered',
  'device_authorization.user_code_rejected': 'A wrong device code was entered',
  'mfa.factor_added': 'A second factor was added',
  'mfa.factor_removed': 'A second factor was removed',
  'mfa.recovery_code_used': 'A recovery code was used',
  'mfa.recovery_codes_regenerated': 'New recovery codes were made; the old ones no longer work',
  'passkey.add': 'A passkey was added',
  'passkey.rename': 'A passkey was renamed',
  'passkey.remove': 'A passkey was removed',
  'passkey.counter_regression': 'A passkey answered with an old signature counter and was refused (it may have been copied)',
  'sso.identity_link': 'Your account was linked to your organisation’s sign-in',
  'sso.email_changed': 'Your email changed at your organisation’s sign-in',
  'user.password_change': 'Your password was changed',
  'user.password_reset_request': 'A password reset link was requested',
  'user.password_reset_by_link': 'Your password was reset with an emailed link',
  'user.profile_update': 'Your profile was updated',
  'admin.user.reset_password': 'An administrator set a new password',
  'admin.user.password_reset_link': 'An administrator sent a password reset link',
  'admin.user.mfa_reset': 'An administrator removed your second factors',
  'admin.user.disable': 'An administrator disabled your account',
  'admin.user.enable': 'An administrator enabled your account',
  'admin.user.unlock': 'An administrator unlocked your account',
  'admin.user.set_roles': 'An administrator changed your roles',
  'admin.user.revoke_all': 'An administrator signed you out everywhere and revoked your tokens',
  'admin.user.revoke_credential': 'An administrator revoked one of your tokens',
  'admin.user.unlink_identity': 'An administrator unlinked your organisation’s sign-in',
  'user.disable': 'An operator disabled your account',
  'user.enable': 'An operator enabled your account',
  'user.unlock': 'An operator unlocked your account',
  'user.password_reset': 'An operator set a new password',
  'user.password_reset_link': 'An operator made a password reset link',
  'user.mfa_reset': 'An operator removed your second factors',
  'user.revoke_all': 'You were signed out everywhere and your tokens were revoked',
};

/** The summary for `action` with `outcome`, or null where none is known. */
export function securityEventSummary(action: string, outcome: string): string | null {
  const entry = SECURITY_EVENT_SUMMARIES[action];
  if (entry === undefined) return null;
  return typeof entry === 'string' ? entry : (entry[outcome] ?? null);
}
