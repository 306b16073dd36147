import { auditForTarget } from './support/admin.fixture';
import { cliDatabase, runCli } from './support/cli.fixture';
import { createPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn, signedInUser } from './support/users.fixture';

// The CLI runs in its own process on the suite's database (MySQL when DATABASE_URL names it).
const db = cliDatabase('cli-admin');
const cli = (args: string[]) => runCli(db.url, args);

describe('operators CLI: user:disable and user:revoke-all', () => {
  jest.setTimeout(90_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await t.close();
    db.dispose();
  });

  it('user:disable ends the session, stops the PAT, prints the result and audits it as the operator', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    const res = await cli(['user:disable', '--email', u.email]);
    expect(res).toMatchObject({ code: 0, stdout: `Disabled ${u.email}; ended 1 session\n` });
    expect((await t.http.get('/devices', { cookie: u.cookie })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(401);
    const [row] = await auditForTarget(t, u.user.id, 'user.disable');
    expect(row).toMatchObject({ actorType: 'operator', outcome: 'success' });

    const again = await cli(['user:disable', '--email', u.email]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already disabled');
  });

  it('user:disable fails (exit 1) for an unknown user and for the last active admin', async () => {
    const unknown = await cli(['user:disable', '--email', 'nobody-here@example.test']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user with email nobody-here@example.test');
    if (!db.url.startsWith('sqlite:')) return; // "last" is a fact of the whole shared database: covered by admin-last-admin.e2e-spec.ts
    const admin = await createUser(t, { roles: ['admin'] });
    const res = await cli(['user:disable', '--email', admin.email]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('is the last active admin and cannot be disabled');
  });

  it('user:revoke-all ends sessions and PATs but leaves the account usable', async () => {
    const u = await signedInUser(t);
    const pat = await createPat(t, u.cookie);
    const res = await cli(['user:revoke-all', '--email', u.email]);
    expect(res.code).toBe(0);
    // One count per registered credential kind, in the order the owning modules registered them.
    expect(res.stdout).toContain(`Revoked every credential of ${u.email}: `);
    const counts = Object.fromEntries(
      res.stdout
        .trim()
        .split(': ')[1]
        .split(', ')
        .map((c) => c.split(' ').reverse()),
    );
    expect(counts).toEqual({ session: '1', personal_access_token: '1', oauth_grant: '0', bot_token: '0', impersonation: '0' });
    expect((await t.http.get('/devices', { cookie: u.cookie })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(401);
    await expect(signIn(t, u.email)).resolves.toContain('=');
    const unknown = await cli(['user:revoke-all', '--email', 'nobody-there@example.test']);
    expect(unknown.code).toBe(1);
  });
});
