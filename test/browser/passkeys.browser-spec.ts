import { createUser } from '../e2e/support/users.fixture';
import { addPasskeyThroughPage, addVirtualAuthenticator, BrowserHarness, startBrowserHarness } from './support/browser';
import { signInThroughForm } from './support/screenshots';

/**
 * Passkeys end to end in chromium with its CDP virtual authenticator (ctap2, resident keys, user
 * verification): add one on Account → Passkeys, sign out, sign in with it from the sign-in page
 * without a password. WebAuthn needs a domain as RP ID: the app is reached as http://localhost
 * (a secure context) and PUBLIC_URL says so.
 */
describe('browser: passkeys through the virtual authenticator', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness({}, { localhost: true });
  });
  afterAll(() => h?.close());

  it('registers a passkey on the account page, then signs in passwordless on the login page', async () => {
    const { email } = await createUser(h.t, { displayName: 'Pat Passkey' });
    const { page } = h;
    const { cdp, authenticatorId } = await addVirtualAuthenticator(h);

    await signInThroughForm(h, email);

    await addPasskeyThroughPage(h, 'Virtual key');
    await expect(page.getByTestId('flash').textContent()).resolves.toContain('Passkey “Virtual key” added');
    await expect(page.getByTestId('passkeys').textContent()).resolves.toContain('Device-bound passkey');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);

    // Signed out: no session, no email typed; the authenticator offers its discoverable passkey.
    await h.context.clearCookies();
    await page.goto(h.url('/login'));
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login/passkey'),
      page.getByRole('link', { name: 'Sign in with a passkey' }).click(),
    ]);
    await Promise.all([page.waitForURL(h.url('/account')), page.getByRole('button', { name: 'Use a passkey' }).click()]);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Pat Passkey');
    await h.screenshot('passkey-signed-in');
  });
});
