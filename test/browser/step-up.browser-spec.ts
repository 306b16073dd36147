import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { Session } from '../../src/sessions/session.entity';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { BrowserHarness, startBrowserHarness } from './support/browser';
import { fitsWidth, signInThroughForm } from './support/screenshots';

describe('browser: step-up ("sudo mode", issue 25) on API key creation after the window', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  /** The user's sessions authenticated an hour ago (past SUDO_MODE_SECONDS): an UPDATE of auth_time. */
  const ageSessions = (userId: string) =>
    h.t.dataSource.getRepository(Session).update({ userId }, { authTime: new Date(Date.now() - 3600_000) });

  it('the re-authentication page asks for the password, then the key is created with the name and scopes typed before', async () => {
    const { email, user } = await createUser(h.t, { displayName: 'Ada Lovelace' });
    const { page } = h;
    await signInThroughForm(h, email);
    await page.goto(h.url('/account/tokens'));
    await page.getByLabel('Name', { exact: true }).fill('nightly backup');
    await page.getByLabel(/read:device — See your devices/).check();
    await page.getByLabel(/write:device — Add, change and delete/).check();
    await ageSessions(user.id);

    await page.getByRole('button', { name: 'Add API key' }).click();
    await page.getByTestId('step-up').waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Confirm access');
    // The form's data rides sealed: nothing typed is echoed into the page.
    await expect(page.content()).resolves.not.toContain('nightly backup');
    await h.screenshot('step-up');

    // A wrong password: the page again, with its message, and no key.
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByTestId('step-up-error').waitFor();
    await expect(page.getByTestId('step-up-error').textContent()).resolves.toBe('That password is not right.');
    await expect(h.t.dataSource.getRepository(PersonalToken).countBy({ userId: user.id })).resolves.toBe(0);

    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url('/account/tokens')), page.getByRole('button', { name: 'Confirm', exact: true }).click()]);
    await page.getByTestId('revealed-secret').waitFor();
    const rows = await h.t.dataSource.getRepository(PersonalToken).findBy({ userId: user.id });
    expect(rows.map((r) => r.name)).toEqual(['nightly backup']);
    expect([...rows[0].scopes].sort()).toEqual(['read:device', 'write:device']);

    // Within the window now: the next key needs no confirmation.
    await page.getByLabel('Name', { exact: true }).fill('second');
    await page.getByLabel(/read:device — See your devices/).check();
    await Promise.all([page.waitForURL(h.url('/account/tokens')), page.getByRole('button', { name: 'Add API key' }).click()]);
    await expect(h.t.dataSource.getRepository(PersonalToken).countBy({ userId: user.id })).resolves.toBe(2);
  });

  it('the re-authentication page fits a 390 px phone', async () => {
    const { email, user } = await createUser(h.t);
    const { page } = h;
    await h.context.clearCookies();
    await page.setViewportSize({ width: 390, height: 800 });
    await signInThroughForm(h, email);
    await page.goto(h.url('/account/tokens'));
    await page.getByLabel('Name', { exact: true }).fill('phone key');
    await page.getByLabel(/read:device — See your devices/).check();
    await ageSessions(user.id);
    await page.getByRole('button', { name: 'Add API key' }).click();
    await page.getByTestId('step-up').waitFor();
    await expect(fitsWidth(page)).resolves.toBe(true);
    await h.screenshot('step-up-390');
  });
});
