import { BrowserHarness, startBrowserHarness } from './support/browser';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';

describe('browser: sign in, see the account, sign out', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());
  // Each test starts as a stranger: no cookie carried over from another test.
  beforeEach(() => h.context.clearCookies());

  it('sends a visitor to /login, signs in through the form, shows the user, and signs out', async () => {
    const { email } = await createUser(h.t, { displayName: 'Grace Hopper' });
    const { page } = h;

    await page.goto(h.url('/account'));
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account');
    await expect(page.title()).resolves.toBe('Sign in · Gatehouse');
    await h.screenshot('login');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    // Keyboard users reach the button next and see where they are.
    await page.keyboard.press('Tab');
    await expect(
      page.getByRole('button', { name: 'Sign in', exact: true }).evaluate((b) => b.ownerDocument.activeElement === b),
    ).resolves.toBe(true);
    await h.screenshot('login-focus');
    await Promise.all([page.waitForURL(h.url('/account')), page.keyboard.press('Enter')]);

    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Grace Hopper');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your account');
    await h.screenshot('account');

    // The session cookie exists with its hardened attributes, and page scripts cannot read it.
    const cookie = (await h.context.cookies(h.t.baseUrl)).find((c) => c.name === '__Host-gatehouse_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    // Runs in the page; the test's tsconfig has no DOM lib, hence the cast.
    const visible = await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie);
    expect(visible).not.toContain('gatehouse_session');

    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await h.context.cookies(h.t.baseUrl)).some((c) => c.name === '__Host-gatehouse_session')).toBe(false);

    // Signed out for real: the account page sends us back to sign in.
    await page.goto(h.url('/account'));
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('shows the error message for a wrong password and keeps the email', async () => {
    const { email } = await createUser(h.t);
    const { page } = h;

    await page.goto(h.url('/login'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await expect(page.getByRole('alert').textContent()).resolves.toBe('Email or password is incorrect');
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe(email);
    // Screen readers announce the error with the fields it is about.
    await expect(page.getByLabel('Password').getAttribute('aria-describedby')).resolves.toBe('login-error');
    expect((await h.context.cookies(h.t.baseUrl)).some((c) => c.name === '__Host-gatehouse_session')).toBe(false);
    await h.screenshot('login-error');
  });
});
