import { auditForTarget } from './support/admin.fixture';
import { cliDatabase, runCli } from './support/cli.fixture';
import { createClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

// The CLI runs in its own process on the suite's database (MySQL when DATABASE_URL names it).
const db = cliDatabase('cli-lists');
const cli = (args: string[]) => runCli(db.url, args);

describe('operators CLI: user:enable, user:list, client:list, user:reset-link (issue 15)', () => {
  jest.setTimeout(120_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await t.close();
    db.dispose();
  });

  it('user:enable lets a disabled user sign in again, audited as the operator; enabling an active user fails', async () => {
    const { user, email } = await createUser(t);
    expect((await cli(['user:disable', '--email', email])).code).toBe(0);
    const res = await cli(['user:enable', '--email', email]);
    expect(res).toMatchObject({ code: 0, stdout: `Enabled ${email}\n` });
    expect((await t.http.post('/auth/login', { json: { email, password: 'correct horse battery staple' } })).status).toBe(200);
    expect(await auditForTarget(t, user.id, 'user.enable')).toEqual([expect.objectContaining({ actorType: 'operator' })]);
    const again = await cli(['user:enable', '--email', email]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already active');
  });

  it('user:list prints matching users tab-separated, with a count in words', async () => {
    const tag = `lister${Date.now()}`;
    const a = await createUser(t, { email: `${tag}-a@example.test`, displayName: 'Alpha' });
    await createUser(t, { email: `${tag}-b@example.test`, roles: ['admin'] });
    const res = await cli(['user:list', '--search', tag]);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toContain(`${a.email}\tactive\tuser\tAlpha`);
    expect(lines.at(-1)).toBe('2 users');
    const admins = await cli(['user:list', '--search', tag, '--role', 'admin']);
    expect(admins.stdout.trim().split('\n').at(-1)).toBe('1 user');
    expect((await cli(['user:list', '--status', 'gone'])).code).toBe(2);
  });

  it('client:list prints the clients of an owner, and all of them', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user, { name: 'Listed by CLI' });
    const res = await cli(['client:list', '--owner', owner.email]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`${c.clientId}\tconfidential\tactive\t${owner.email}\tListed by CLI\n1 client\n`);
    const all = await cli(['client:list']);
    expect(all.stdout).toContain(`${c.clientId}\t`);
  });

  it('user:reset-link prints a one-time link once and records no token', async () => {
    const { user, email } = await createUser(t);
    const res = await cli(['user:reset-link', '--email', email]);
    expect(res.code).toBe(0);
    const link = /(http\S+password-reset\?token=(ghpr_\w+))/.exec(res.stdout)!;
    expect(link).toBeTruthy();
    expect((await t.http.get(`/password-reset?token=${link[2]}`)).status).toBe(200);
    expect(JSON.stringify(await auditForTarget(t, user.id))).not.toContain(link[2]);
  });
});
