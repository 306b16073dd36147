import { MfaEnrolment } from '../../src/mfa/mfa-enrolment.service';
import { PrincipalFactory } from '../../src/auth/principal.factory';
import { RecoveryCodesService } from '../../src/recovery-codes/recovery-codes.service';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/**
 * Issue 25, recovery codes: "10 single-use codes shown once at first enrolment". Two first factors
 * enrolled at the same moment (an authenticator app in one tab, a passkey in another) each ask
 * "has this user any codes?"; without the per-user lease both saw none and both issued a set, and
 * the set shown first no longer worked. Now exactly one set is issued, and it is the one that works.
 */
describe('MFA: two first factors enrolled at once issue one set of recovery codes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exactly one of the two enrolments returns codes, and those codes are the live set', async () => {
    const u = await signedInUser(t);
    const p = t.get<PrincipalFactory>(PrincipalFactory).forUser(u.user, { kind: 'session', id: 'race-test' });
    const meta = { ip: '127.0.0.1', userAgent: null, requestId: 'race-test' };
    const enrolment = t.get<MfaEnrolment>(MfaEnrolment);
    const answers = await Promise.all([
      enrolment.enrolled(p, { factorId: 'totp', amr: 'otp' }, meta),
      enrolment.enrolled(p, { factorId: 'passkey', amr: 'hwk' }, meta),
    ]);
    const issued = answers.map((a) => a.recoveryCodes).filter((c): c is string[] => c !== null);
    expect(issued).toHaveLength(1);
    const recovery = t.get<RecoveryCodesService>(RecoveryCodesService);
    expect(await recovery.remaining(u.user.id)).toBe(10);
    expect(await recovery.use(u.user.id, issued[0][0])).toBe(true);
    expect(await recovery.remaining(u.user.id)).toBe(9);
  });
});
