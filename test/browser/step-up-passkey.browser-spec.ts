import { IsNull } from 'typeorm';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { Session } from '../../src/sessions/session.entity';
import { createUser } from '../e2e/support/users.fixture';
import { addPasskeyThroughPage, addVirtualAuthenticator, BrowserHarness, startBrowserHarness } from './support/browser';
import { fitsWidth, signInThroughForm } from './support/screenshots';

/**
 * Step-up with a passkey (issue 25) in chromium with its CDP virtual authenticator: a stale
 * session creates an API key, meets the re-authentication page, confirms with "Use a passkey"
 * (WebAuthn Level 3 §7.2, allowCredentials the user's passkey), and the key is created with the
 * name and scopes typed before. The app is reached as http://localhost (the RP ID needs a domain).
 */
describe('browser: step-up with a passkey through the virtual authenticator', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness({}, { localhost: true });
  });
  afterAll(() => h?.close());

  it('stale session → create an API key → the step-up page → "Use a passkey" → the key is created with the typed name', async () => {
    const { email, user } = await createUser(h.t, { displayName: 'Sam Sudo' });
    const { page } = h;
    const { cdp, authenticatorId } = await addVirtualAuthenticator(h);

    await signInThroughForm(h, email);
    await addPasskeyThroughPage(h, 'Virtual key');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(h.url('/account/tokens'));
    await page.getByLabel('Name', { exact: true }).fill('passkey confirmed');
    await page.getByLabel(/read:device — See your devices/).check();
    // Past SUDO_MODE_SECONDS: the session authenticated an hour ago.
    await h.t.dataSource.getRepository(Session).update({ userId: user.id }, { authTime: new Date(Date.now() - 3600_000) });
    await page.getByRole('button', { name: 'Add API key' }).click();
    await page.getByTestId('step-up').waitFor();
    await expect(page.getByRole('heading', { name: 'Or use a passkey' }).isVisible()).resolves.toBe(true);
    await expect(fitsWidth(page)).resolves.toBe(true);
    await h.screenshot('step-up-passkey-390');

    await Promise.all([page.waitForURL(h.url('/account/tokens')), page.getByRole('button', { name: 'Use a passkey' }).click()]);
    await page.getByTestId('revealed-secret').waitFor();
    const rows = await h.t.dataSource.getRepository(PersonalToken).findBy({ userId: user.id });
    expect(rows.map((r) => [r.name, r.scopes])).toEqual([['passkey confirmed', ['read:device']]]);
    const session = await h.t.dataSource.getRepository(Session).findOneByOrFail({ userId: user.id, revokedAt: IsNull() });
    expect(Date.now() - session.authTime!.getTime()).toBeLessThan(60_000);
    expect(session.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials[0].signCount).toBeGreaterThanOrEqual(2);
  });
});
