import { BrowserHarness, startBrowserHarness } from './support/browser';
import { uniqueEmail } from '../e2e/support/test-app';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';

describe('browser: an admin creates a user, disables them, and finds both in the audit log', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('signs in as an admin, creates and disables a user, then sees both actions on the audit page', async () => {
    const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Ada Admin' });
    const { page } = h;
    // Confirmation dialogs (data-confirm) are accepted, as an operator would.
    page.on('dialog', (d) => void d.accept());

    await page.goto(h.url('/admin/ui/users'));
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url('/admin/ui/users')), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Users');

    // Create a user through the form.
    const email = uniqueEmail('browser');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Display name').fill('Brenda Browser');
    await page.getByLabel(/Initial password/).fill('a long enough password');
    await Promise.all([
      page.waitForURL(/\/admin\/ui\/users\/[0-9a-f-]{36}\?done=created$/),
      page.getByRole('button', { name: 'Create user' }).click(),
    ]);
    await expect(page.getByTestId('user-email').textContent()).resolves.toBe(email);
    await expect(page.getByTestId('user-status').textContent()).resolves.toBe('active');
    await h.screenshot('admin-user-created');

    // Disable them.
    await Promise.all([page.waitForURL(/\?done=disabled$/), page.getByRole('button', { name: 'Disable' }).click()]);
    await expect(page.getByTestId('user-status').textContent()).resolves.toBe('disabled');
    await expect(page.getByRole('status').textContent()).resolves.toContain('User disabled');

    // Both actions are on the audit page, filtered by the admin's email to admin.user.* actions,
    // with the user shown by name and email and the actions in words.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(h.url('/admin/ui/audit'));
    await page.getByLabel(/^Actor/).fill(admin.email);
    await page.getByLabel('Action (prefix with *)').fill('admin.user.*');
    await Promise.all([page.waitForURL(/\/admin\/ui\/audit\?/), page.getByRole('button', { name: 'Filter' }).click()]);
    const rows = page.locator('tbody tr[data-action]');
    const seen = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        action: tr.getAttribute('data-action'),
        text: (tr as unknown as { textContent: string }).textContent,
      })),
    );
    const about = (action: string) => seen.find((r) => r.action === action && r.text.includes(email));
    expect(about('admin.user.create')?.text).toContain('Admin: created a user');
    expect(about('admin.user.create')?.text).toContain('Brenda Browser');
    expect(about('admin.user.disable')?.text).toContain('Admin: disabled a user');
    expect(about('admin.user.disable')?.text).toContain('success');
    expect(seen.every((r) => r.text.includes('Ada Admin'))).toBe(true);
    // Newest first: the disable comes before the create.
    expect(seen.findIndex((r) => r.action === 'admin.user.disable')).toBeLessThan(seen.findIndex((r) => r.action === 'admin.user.create'));
    await h.screenshot('admin-audit');

    // And the disabled user cannot sign in.
    const res = await h.t.http.post('/auth/login', { json: { email, password: 'a long enough password' }, origin: h.t.baseUrl });
    expect(res.status).toBe(401);
  });
  it('registers a client through the form, copies its secret once, and disables it', async () => {
    await h.context.clearCookies();
    const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Cleo Clients' });
    const owner = await createUser(h.t);
    const { page } = h;
    await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.t.baseUrl });

    await page.goto(h.url('/admin/ui/clients'));
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url('/admin/ui/clients')), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Clients');

    await page.getByLabel('Owner email').fill(owner.email);
    await page.getByLabel('Name', { exact: true }).fill('Browser app');
    await page.getByLabel('Type', { exact: true }).selectOption('confidential');
    await page.getByLabel(/Redirect URIs/).fill('https://app.example.com/callback');
    await page.getByLabel(/read:device/).check();
    // Post/Redirect/Get: the client's own page, with the secret shown once from the flash.
    await Promise.all([page.waitForURL(/\/admin\/ui\/clients\/ghc_/), page.getByRole('button', { name: 'Register client' }).click()]);
    await expect(page.getByTestId('flash').getByText('Client “Browser app” registered.').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Browser app');
    const secret = (await page.getByTestId('revealed-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(secret);
    await h.screenshot('admin-client-created');

    // Reloaded: never the secret again; disabling asks first (accepted above) and comes back with a 303.
    await page.reload();
    await expect(page.content()).resolves.not.toContain(secret);
    await expect(page.getByTestId('client-status').textContent()).resolves.toBe('active');
    await Promise.all([page.waitForURL(/\?done=disabled$/), page.getByRole('button', { name: 'Disable' }).click()]);
    await expect(page.getByTestId('client-status').textContent()).resolves.toBe('disabled');
    await h.screenshot('admin-client-disabled');
  });
});
