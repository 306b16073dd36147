import { auditByActor } from './support/admin.fixture';
import { awayFromStepEdge, enrolTotp, passwordStep, submitTotp, totpCode } from './support/mfa.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signIn, signedInUser } from './support/users.fixture';

const WRONG = '000000';

describe('MFA: second-step attempts are limited per account and per IP, never the password step (issue 25)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ MFA_MAX_FAILURES_PER_ACCOUNT: '3', MFA_MAX_FAILURES_PER_IP: '5' });
  });
  afterAll(() => t.close());

  it('past the account limit even the right code is refused with 429 + Retry-After; the password step still works', async () => {
    const u = await signedInUser(t);
    const { secret } = await enrolTotp(t, u.cookie);
    const { cookie } = await passwordStep(t, u.email);
    for (let i = 0; i < 3; i++) expect((await submitTotp(t, cookie, WRONG)).status).toBe(401);
    await awayFromStepEdge();
    const locked = await submitTotp(t, cookie, await totpCode(secret));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The limit is the second step's own: the password step answers as always, for this user and others.
    expect((await passwordStep(t, u.email)).res.body.pendingStep).toBe('mfa');
    const other = await signedInUser(t);
    expect((await t.http.get('/me', { cookie: other.cookie })).status).toBe(200);
    expect(await auditByActor(t, u.user.id, 'auth.mfa_locked')).toHaveLength(1);
    const denied = await auditByActor(t, u.user.id, 'auth.mfa');
    expect(denied.some((e) => e.outcome === 'denied')).toBe(true);
  });

  it('per IP: wrong codes for several accounts from one IP add up', async () => {
    // An app of its own: the counters of the test above (same IP) must not count here.
    await t.close();
    t = await startTestApp({ MFA_MAX_FAILURES_PER_ACCOUNT: '3', MFA_MAX_FAILURES_PER_IP: '5' });
    const users = await Promise.all([1, 2, 3].map(() => signedInUser(t)));
    const secrets: string[] = [];
    for (const u of users) secrets.push((await enrolTotp(t, u.cookie)).secret);
    // Two wrong codes each (under the account limit of 3): 6 > 5 from this IP.
    const cookies = await Promise.all(users.map(async (u) => (await passwordStep(t, u.email)).cookie));
    const statuses: number[] = [];
    for (const c of cookies) for (let i = 0; i < 2; i++) statuses.push((await submitTotp(t, c, WRONG)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.at(-1)).toBe(429);
    // Signing in with a password (another account, same IP) is unaffected.
    const fresh = await signedInUser(t);
    expect(await signIn(t, fresh.email)).toBeTruthy();
  });
});
