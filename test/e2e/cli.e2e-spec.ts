import { AuditEvent } from '../../src/audit/audit-event.entity';
import { loadAppConfig } from '../../src/configuration';
import { User } from '../../src/users/user.entity';
import { CliResult, cliDatabase, runCli } from './support/cli.fixture';
import { startTestApp, TestApp, uniqueEmail } from './support/test-app';

const db = cliDatabase('cli');
const databaseUrl = db.url;
const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(databaseUrl, args, env);

function generatedPassword(stdout: string): string {
  const match = /^Generated password[^:]*: (\S+)$/m.exec(stdout);
  if (!match) throw new Error(`no generated password in: ${stdout}`);
  return match[1];
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('operators CLI (npm run cli)', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  const admin = { email: uniqueEmail('cli-admin'), password: '', created: {} as CliResult };
  const viewer = { email: uniqueEmail('cli-viewer'), password: 'viewer password 123' };

  const login = (email: string, password: string) => t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl });
  const userRow = (email: string) => t.dataSource.getRepository(User).findOneBy({ email: email.toLowerCase() });

  beforeAll(async () => {
    // The CLI runs first, on a database no server has touched: it applies the migrations itself.
    admin.created = await cli(['user:create', '--email', admin.email.toUpperCase(), '--name', 'Ada Admin', '--admin']);
    if (admin.created.code === 0) admin.password = generatedPassword(admin.created.stdout);
    await cli(['user:create', '--email', viewer.email, '--name', 'Vic Viewer', '--password', viewer.password, '--role', 'viewer']);
    t = await startTestApp({ DATABASE_URL: databaseUrl });
  });

  afterAll(async () => {
    await t?.close();
    db.dispose();
  });

  describe('user:create', () => {
    it('creates an admin with a generated password, printed exactly once, that signs in over HTTP', async () => {
      expect(admin.created.stderr).toBe('');
      expect(admin.created.code).toBe(0);
      expect(admin.created.stdout).toContain(`Created user ${admin.email}`);
      expect(admin.password.length).toBeGreaterThanOrEqual(24);
      expect(occurrences(admin.created.stdout + admin.created.stderr, admin.password)).toBe(1);

      const row = await userRow(admin.email);
      expect(row).toMatchObject({ email: admin.email, displayName: 'Ada Admin', status: 'active', roles: ['admin'] });
      expect(row!.passwordHash).toMatch(/^scrypt\$/);
      expect(row!.passwordHash).not.toContain(admin.password);

      const res = await login(admin.email, admin.password);
      expect(res.status).toBe(200);
      expect(res.body.user.displayName).toBe('Ada Admin');
    });

    it('creates a user with the given password and role', async () => {
      const row = await userRow(viewer.email);
      expect(row?.roles).toEqual(['viewer']);
      expect((await login(viewer.email, viewer.password)).status).toBe(200);
    });

    it('records the creation in the audit log as an operator action', async () => {
      const row = await userRow(admin.email);
      const events = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'user.create', targetId: row!.id });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorType: 'operator', credentialKind: 'cli', outcome: 'success' });
      expect(events[0].details).not.toContain(admin.password);
    });

    it('refuses a duplicate email (any case) with exit code 1 and leaves one row', async () => {
      const res = await cli(['user:create', '--email', admin.email.toUpperCase(), '--name', 'Again', '--password', 'another password 1']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`A user with email ${admin.email.toUpperCase()} already exists`);
      expect(res.stdout).toBe('');
      expect(await t.dataSource.getRepository(User).countBy({ email: admin.email })).toBe(1);
    });

    it('refuses bad flags with exit code 2 and creates nothing', async () => {
      const email = uniqueEmail('cli-bad');
      const [noName, badRole, shortPassword, unknownFlag] = await Promise.all([
        cli(['user:create', '--email', email]),
        cli(['user:create', '--email', email, '--name', 'X', '--role', 'root']),
        cli(['user:create', '--email', email, '--name', 'X', '--password', 'short']),
        cli(['user:create', '--email', email, '--name', 'X', '--pasword', 'typo in flag']),
      ]);
      expect(noName).toMatchObject({ code: 2, stderr: expect.stringContaining('Missing required flag --name') });
      expect(badRole).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown role "root"') });
      expect(shortPassword).toMatchObject({ code: 2, stderr: expect.stringContaining('--password must be 12') });
      expect(unknownFlag).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--pasword'") });
      expect(await userRow(email)).toBeNull();
    });
  });

  describe('user:reset-password', () => {
    it('sets a new password, ends the sessions, and prints the generated password once', async () => {
      const email = uniqueEmail('cli-reset');
      const created = await cli(['user:create', '--email', email, '--name', 'Rita Reset', '--password', 'original password']);
      expect(created.code).toBe(0);
      const signedIn = await login(email, 'original password');
      expect(signedIn.status).toBe(200);
      const cookie = signedIn.setCookies[0].split(';')[0];
      expect((await t.http.get('/account/sessions', { cookie })).status).toBe(200);

      const res = await cli(['user:reset-password', '--email', email]);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`Password reset for ${email}; ended 1 session`);
      const password = generatedPassword(res.stdout);
      expect(occurrences(res.stdout + res.stderr, password)).toBe(1);

      expect((await t.http.get('/account/sessions', { cookie, headers: { accept: 'application/json' } })).status).toBe(401);
      expect((await login(email, 'original password')).status).toBe(401);
      expect((await login(email, password)).status).toBe(200);
    });

    it('accepts an explicit --password', async () => {
      const res = await cli(['user:reset-password', '--email', viewer.email, '--password', 'a brand new password']);
      expect(res.code).toBe(0);
      expect(res.stdout).not.toContain('Generated password');
      expect((await login(viewer.email, 'a brand new password')).status).toBe(200);
    });

    it('fails with exit code 1 for an unknown user', async () => {
      const email = uniqueEmail('cli-nobody');
      const res = await cli(['user:reset-password', '--email', email]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`No user with email ${email}`);
      expect(res.stdout).toBe('');
    });
  });

  describe('key:generate', () => {
    it('prints a fresh 32-byte base64url key that SESSION_KEYS accepts, without any configuration', async () => {
      // An invalid DATABASE_URL proves the command touches neither configuration nor database.
      const [a, b] = await Promise.all([cli(['key:generate'], { DATABASE_URL: 'nope' }), cli(['key:generate'], { DATABASE_URL: 'nope' })]);
      expect(a.code).toBe(0);
      const key = a.stdout.trim();
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key, 'base64url')).toHaveLength(32);
      expect(b.stdout.trim()).not.toBe(key);
      expect(loadAppConfig({ NODE_ENV: 'production', SESSION_KEYS: `${key},${b.stdout.trim()}` }).session.keys).toHaveLength(2);
    });
  });

  describe('usage and failures', () => {
    it('--help lists every command', async () => {
      const res = await cli(['--help']);
      expect(res.code).toBe(0);
      for (const name of ['user:create', 'user:reset-password', 'key:generate']) expect(res.stdout).toContain(name);
    });

    it('an unknown command exits 2 with a hint', async () => {
      const res = await cli(['user:frobnicate']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('Unknown command "user:frobnicate". Run with --help');
    });

    it('an invalid configuration exits 1 with the configuration message, not a stack', async () => {
      const [badUrl, noKeys] = await Promise.all([
        cli(['user:reset-password', '--email', 'a@example.test'], { DATABASE_URL: 'oracle://db/x' }),
        cli(['user:reset-password', '--email', 'a@example.test'], { NODE_ENV: 'production', SESSION_KEYS: '' }),
      ]);
      expect(badUrl.code).toBe(1);
      expect(badUrl.stderr).toContain('Invalid configuration');
      expect(badUrl.stderr).toContain('DATABASE_URL');
      expect(badUrl.stderr).not.toMatch(/\n\s+at /);
      expect(noKeys.code).toBe(1);
      expect(noKeys.stderr).toContain('SESSION_KEYS: required when NODE_ENV=production');
    });
  });
});
