import { TotpCredential } from '../../src/mfa/totp-credential.entity';
import { auditForTarget } from './support/admin.fixture';
import { cliDatabase, runCli } from './support/cli.fixture';
import { enrolTotp, passwordStep } from './support/mfa.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

// The CLI runs in its own process on the suite's database (MySQL when DATABASE_URL names it).
const db = cliDatabase('mfa-cli');

describe('operators CLI: user:mfa:reset (issue 25)', () => {
  jest.setTimeout(120_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await t.close();
    db.dispose();
  });

  it('removes the factors, ends the sessions, prints what it did and audits it as the operator; an unknown email fails', async () => {
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const res = await runCli(db.url, ['user:mfa:reset', '--email', u.email]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Reset the second factors of ${u.email}: removed 1 totp, 10 recovery-code`);
    expect(await t.dataSource.getRepository(TotpCredential).countBy({ userId: u.user.id })).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // another process: this app's credential cache holds for 1 s
    expect((await t.http.get('/me', { cookie: u.cookie })).status).toBe(401);
    expect((await passwordStep(t, u.email)).res.body.pendingStep).toBeUndefined();
    const [row] = await auditForTarget(t, u.user.id, 'user.mfa_reset');
    expect(row).toMatchObject({ actorType: 'operator', outcome: 'success' });

    const unknown = await runCli(db.url, ['user:mfa:reset', '--email', 'nobody-here@example.test']);
    expect(unknown.code).toBe(1);
  });
});
