import { PasswordResetLink } from '../../src/account/password-reset-link.entity';
import { User } from '../../src/users/user.entity';
import { signedInAdmin, SignedIn, startIsolatedTestApp } from './support/admin.fixture';
import { createBot } from './support/bots.fixture';
import { cliDatabase, runCli } from './support/cli.fixture';
import { HTML } from './support/pages.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { settleOutbox } from './support/outbox.fixture';
import type { TestApp } from './support/test-app';
import { signedInUser, TEST_PASSWORD } from './support/users.fixture';

const NEW_PASSWORD = 'purple elephants dance quietly';

/**
 * Issue 22 §5: an account that has no password by design (a bot; an SSO-only user after the SSO
 * issue) stays without one. Every path that sets, resets or mails a password refuses it with a
 * 4xx that says why, and leaves the no-password marker as it was: the admin API (reset password,
 * reset link), the admin page, the CLI, the reset request by email (which answers as for an
 * unknown address, and mails nothing), and the change-password page.
 */
describe('accounts without a password by design', () => {
  const db = cliDatabase('no-password');
  let t: TestApp;
  let admin: SignedIn;
  let bot: User;
  let cliUrl: string;

  beforeAll(async () => {
    // The outbox is database-wide: on a server database (MySQL, PostgreSQL) a database of its own,
    // and the CLI runs on that one too.
    t = await startIsolatedTestApp({ DATABASE_URL: db.url, RATE_LIMIT_PER_IP_PER_MINUTE: '100000' });
    const options = t.dataSource.options as { url?: string };
    cliUrl = options.url ?? db.url;
    admin = await signedInAdmin(t);
    const created = await createBot(t, admin.cookie);
    bot = await t.dataSource.getRepository(User).findOneByOrFail({ id: created.id });
    expect(bot.passwordHash).toBe('!bot');
  });
  afterAll(async () => {
    await t.close();
    db.dispose();
  });

  const markerKept = async () => expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: bot.id })).passwordHash).toBe('!bot');

  it('admin API: POST /admin/users/:id/reset-password on a bot is a 409 that says why; the marker stays', async () => {
    for (const json of [{ password: NEW_PASSWORD }, {}]) {
      const res = await t.http.post(`/admin/users/${bot.id}/reset-password`, { cookie: admin.cookie, json });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/no password by design \(a bot/);
    }
    await markerKept();
  });

  it('admin API: POST /admin/users/:id/password-reset-link on a bot is a 409; no link is stored', async () => {
    const res = await t.http.post(`/admin/users/${bot.id}/password-reset-link`, { cookie: admin.cookie });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/no password by design/);
    expect(await t.dataSource.getRepository(PasswordResetLink).countBy({ userId: bot.id })).toBe(0);
  });

  it('admin page: the reset-password form on a bot answers 409 with the reason; the marker stays', async () => {
    // Bots have no reset form (their page is under /admin/bots); the POST is made as a crafted form would be.
    const page = await t.http.get('/admin/ui/users', { cookie: admin.cookie, headers: HTML });
    const _csrf = csrfFromPage(page.text);
    const res = await t.http.post(`/admin/ui/users/${bot.id}/reset-password`, {
      cookie: admin.cookie,
      headers: HTML,
      form: { _csrf, password: NEW_PASSWORD },
      origin: t.baseUrl,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).toMatch(/no password by design/);
    await markerKept();
  });

  it('CLI: user:reset-password and user:reset-link on a bot fail (exit 1) saying why', async () => {
    for (const args of [
      ['user:reset-password', '--email', bot.email],
      ['user:reset-link', '--email', bot.email],
    ]) {
      const res = await runCli(cliUrl, args);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/no password by design/);
    }
    await markerKept();
  }, 120_000);

  it('reset request by email for a bot: the same answer as for an unknown address, and nothing is mailed or stored', async () => {
    const ask = (email: string) => t.http.post('/password-reset/request', { form: { email }, origin: t.baseUrl, headers: HTML });
    const forBot = await ask(bot.email);
    const unknown = await ask('nobody-at-all@example.test');
    expect(forBot.status).toBe(unknown.status);
    expect(forBot.text).toBe(unknown.text);
    await settleOutbox(t, 'account.password_reset_request');
    expect(await t.dataSource.getRepository(PasswordResetLink).countBy({ userId: bot.id })).toBe(0);
  });

  it('change-password page: an account without a password by design (SSO-only marker) is refused with the reason, and keeps its marker', async () => {
    const u = await signedInUser(t);
    // As the SSO issue will mark SSO-only users; the session stands for one made through the IdP.
    await t.dataSource.getRepository(User).update({ id: u.user.id }, { passwordHash: '!sso' });
    const _csrf = csrfFromPage((await t.http.get('/account/password', { cookie: u.cookie, headers: HTML })).text);
    const res = await t.http.post('/account/password', {
      cookie: u.cookie,
      form: { _csrf, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/no password by design \(an SSO-only account/);
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: u.user.id })).passwordHash).toBe('!sso');
    // And an admin cannot give it one either.
    const reset = await t.http.post(`/admin/users/${u.user.id}/reset-password`, { cookie: admin.cookie, json: { password: NEW_PASSWORD } });
    expect(reset.status).toBe(409);
  });
});
