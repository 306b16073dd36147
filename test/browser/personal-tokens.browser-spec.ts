import { tokenPattern } from '../../src/auth/token-format';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { BrowserHarness, startBrowserHarness } from './support/browser';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';

describe('browser: Account settings → API keys (create, copy, use with curl-style requests, delete)', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  /** What a script would do: a plain HTTP request from Node with the key, no browser involved. */
  const curlDevices = (token: string) =>
    fetch(h.url('/devices'), { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });

  it('creates a key on the page, copies it, uses it from Node, deletes it, and the next request gets 401', async () => {
    const { email } = await createUser(h.t, { displayName: 'Ada Lovelace' });
    const { page, context } = h;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.t.baseUrl });

    // Sign in and reach the page from the account page's link.
    await page.goto(h.url('/account'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url('/account')), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await Promise.all([page.waitForURL(h.url('/account/tokens')), page.getByRole('link', { name: 'API keys' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('API keys');
    await expect(page.getByText('You have no API keys.').isVisible()).resolves.toBe(true);

    // The add form: a name, scope checkboxes with their descriptions, an expiry choice.
    await page.getByLabel('Name', { exact: true }).fill('backup script');
    await page.getByLabel(/read:device — See your devices/).check();
    await expect(page.getByLabel(/write:device — Add, change and delete/).isChecked()).resolves.toBe(false);
    await page.getByLabel('Expires').selectOption('30');
    await h.screenshot('api-keys-form');
    // Post/Redirect/Get: back on /account/tokens, the key shown once from the flash.
    await Promise.all([page.waitForURL(h.url('/account/tokens')), page.getByRole('button', { name: 'Add API key' }).click()]);

    // Shown once, with the warning and a copy button.
    const shown = page.getByTestId('reveal');
    await expect(shown.getByText('It will not be shown again.').isVisible()).resolves.toBe(true);
    const token = (await page.getByTestId('revealed-secret').textContent())?.trim() ?? '';
    expect(token).toMatch(tokenPattern(PAT_TOKEN));
    await h.screenshot('api-keys-created');
    await page.getByRole('button', { name: 'Copy' }).click();
    // The clipboard write is asynchronous; the button says so when it is done.
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    // A string expression: the test code is compiled without the DOM library.
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(token);

    // Used from outside the browser, like curl would.
    const used = await curlDevices(token);
    expect(used.status).toBe(200);
    await expect(used.json()).resolves.toEqual({ items: [], nextCursor: null });

    // Coming back to the page: listed by name and hint, never shown again.
    await page.goto(h.url('/account/tokens'));
    await expect(page.getByTestId('revealed-secret').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(token);
    const row = page.getByRole('row', { name: /backup script/ });
    await expect(row.getByText(token.slice(-4)).isVisible()).resolves.toBe(true);

    // Delete asks first: cancelling keeps the key working.
    page.once('dialog', (d) => void d.dismiss());
    await row.getByRole('button', { name: /Delete/ }).click();
    await expect(row.isVisible()).resolves.toBe(true);
    expect((await curlDevices(token)).status).toBe(200);

    let question = '';
    page.once('dialog', (d) => {
      question = d.message();
      void d.accept();
    });
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/delete')), row.getByRole('button', { name: /Delete/ }).click()]);
    await page.getByText('You have no API keys.').waitFor();
    expect(question).toContain('backup script');
    await h.screenshot('api-keys-deleted');

    // RFC 6750 §3.1: the very next request with the deleted key is invalid_token.
    const after = await curlDevices(token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
