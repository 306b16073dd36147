import { tokenPattern } from '../../src/auth/token-format';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { BrowserHarness, startBrowserHarness } from './support/browser';
import { BOT_TOKEN } from '../../src/bots/bot-token.token-kind';
import { IMPERSONATION_TOKEN } from '../../src/impersonation/impersonation.token-kind';

describe('browser: bots and impersonation (issue 14)', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  const signIn = async (email: string, landing: string) => {
    const { page } = h;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url(landing)), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
  };
  const signOut = async () => {
    await Promise.all([h.page.waitForURL(/\/login/), h.page.getByRole('button', { name: 'Sign out' }).click()]);
  };

  it('a person with manage:bots creates a bot and a token on the page, copies it, uses it, and sees the bot’s action in its activity', async () => {
    const { email } = await createUser(h.t, { roles: ['user'], displayName: 'Grace Hopper' });
    const { page, context } = h;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.t.baseUrl });

    await page.goto(h.url('/account'));
    await signIn(email, '/account');
    await Promise.all([page.waitForURL(h.url('/account/bots')), page.getByRole('navigation').getByRole('link', { name: 'Bots' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bots');

    // Create the bot: name, description, roles (viewer suggested; add user to let it write).
    await page.getByLabel('Name', { exact: true }).fill('Deploy bot');
    await page.getByLabel('Description').fill('Registers devices from CI');
    await page.getByLabel('user', { exact: true }).check();
    await Promise.all([page.waitForURL(/\/account\/bots\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Create bot' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Deploy bot');
    const botPath = new URL(page.url()).pathname;

    // A token: scopes as checkboxes with their descriptions.
    await page.getByLabel('Name', { exact: true }).fill('ci pipeline');
    await page.getByLabel(/^read:device: /).check();
    await page.getByLabel(/^write:device: /).check();
    await h.screenshot('bot-token-form');
    await Promise.all([page.waitForURL(h.url(botPath)), page.getByRole('button', { name: 'Create token' }).click()]);
    const token = (await page.getByTestId('revealed-secret').textContent())?.trim() ?? '';
    expect(token).toMatch(tokenPattern(BOT_TOKEN));
    await page.getByTestId('reveal').getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(token);
    await h.screenshot('bot-token-created');

    // Used from outside the browser, as the integration would.
    const made = await fetch(h.url('/devices'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Built by CI' }),
    });
    expect(made.status).toBe(201);

    // The bot's page: the token by hint only, and the bot's own action in its activity.
    await page.goto(h.url(botPath));
    await expect(page.content()).resolves.not.toContain(token);
    await expect(
      page
        .getByRole('row', { name: /ci pipeline/ })
        .getByText(token.slice(-4))
        .isVisible(),
    ).resolves.toBe(true);
    const activity = page.getByTestId('bot-activity');
    await expect(activity.locator('tr[data-action="device.create"]').count()).resolves.toBe(1);
    await h.screenshot('bot-activity');
    await signOut();
  });

  it('an admin impersonates a user from the admin page with a reason, and the user sees the event', async () => {
    const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Ada Admin' });
    const user = await createUser(h.t, { roles: ['user'], displayName: 'Uma User' });
    const { page } = h;

    await page.goto(h.url('/admin/ui/impersonation'));
    await signIn(admin.email, '/admin/ui/impersonation');
    await page.getByLabel('User (email or id)').fill(user.email);
    await page.getByLabel('Reason').fill('support ticket 1234');
    await Promise.all([
      page.waitForURL(h.url('/admin/ui/impersonation')),
      page.getByRole('button', { name: 'Start impersonation' }).click(),
    ]);
    const token = (await page.getByTestId('revealed-secret').textContent())?.trim() ?? '';
    expect(token).toMatch(tokenPattern(IMPERSONATION_TOKEN));
    const live = page.getByRole('row', { name: /support ticket 1234/ });
    await expect(live.getByRole('link', { name: user.email }).isVisible()).resolves.toBe(true);
    await h.screenshot('impersonation-started');
    const me = await fetch(h.url('/me'), { headers: { authorization: `Bearer ${token}` } });
    await expect(me.json()).resolves.toMatchObject({ act: { sub: admin.user.id } });
    await signOut();

    // The user, signed in, finds it among their security events.
    await page.goto(h.url('/account/security'));
    await signIn(user.email, '/account/security');
    const event = page.locator('tr[data-action="impersonation.start"]');
    await expect(event.textContent()).resolves.toContain('An administrator (Ada Admin) acted on your account');
    await h.screenshot('impersonation-seen-by-user');
  });
});
