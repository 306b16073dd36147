/** Who must have a second factor: nobody, people with the admin role, or everyone (bots never sign in). */
export type MfaRequirement = 'none' | 'admins' | 'all';
export const MFA_REQUIREMENTS: readonly MfaRequirement[] = ['none', 'admins', 'all'];
