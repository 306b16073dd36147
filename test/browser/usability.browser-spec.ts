import { PasswordResetLink } from '../../src/account/password-reset-link.entity';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { NavigationRegistry } from '../../src/web/navigation.registry';
import { createClient } from '../e2e/support/clients.fixture';
import { codeRequest, authorizeUrl } from '../e2e/support/oauth-flow.fixture';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { join } from 'node:path';
import { ARTIFACTS, BrowserHarness, startBrowserHarness } from './support/browser';
import { captureTour, fitsWidth, seedTour, signInThroughForm, WIDTHS } from './support/screenshots';

const NEW_PASSWORD = 'seven purple otters knit';

/** The walks of issue 15's "Done when", at desktop and phone width. */
describe.each(WIDTHS)('browser at $name width ($width px): finding your way, self-service, flash, PRG', (width) => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
    await h.page.setViewportSize({ width: width.width, height: width.height });
    // Confirmation dialogs (data-confirm) are accepted, as a person would.
    h.page.on('dialog', (d) => void d.accept());
  });
  afterAll(() => h?.close());
  beforeEach(() => h.context.clearCookies());

  const heading = () => h.page.getByRole('heading', { level: 1 }).first().textContent();
  const flash = () => h.page.getByTestId('flash').locator('.flash-message').textContent();
  const nav = () => h.page.getByRole('navigation', { name: 'Main' });

  it('signs in from /, then reaches every page from the navigation (each page fits the width)', async () => {
    const { email } = await createUser(h.t, { displayName: 'Nav Walker' });
    await h.page.goto(h.url('/'));
    expect(new URL(h.page.url()).pathname).toBe('/login');
    await signInThroughForm(h, email);
    expect(new URL(h.page.url()).pathname).toBe('/account');

    const links = h.t.get<NavigationRegistry>(NavigationRegistry).linksFor('main', '/', false);
    expect(links.map((l) => l.label)).toEqual(
      expect.arrayContaining(['Account', 'Sessions', 'API keys', 'Developer settings', 'Authorized apps', 'Security events']),
    );
    const visited = [];
    for (const from of links) {
      await h.page.goto(h.url(from.href));
      for (const to of links) {
        await Promise.all([
          h.page.waitForURL((u) => u.pathname === to.href),
          nav().getByRole('link', { name: to.label, exact: true }).click(),
        ]);
        await expect(nav().getByRole('link', { name: to.label, exact: true }).getAttribute('aria-current')).resolves.toBe('page');
      }
      visited.push({ page: from.href, fits: await fitsWidth(h.page) });
    }
    expect(visited.filter((v) => !v.fits)).toEqual([]);
    await expect(nav().getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);

    // Sign out is in the navigation too, and says so on the next page.
    await Promise.all([h.page.waitForURL((u) => u.pathname === '/login'), nav().getByRole('button', { name: 'Sign out' }).click()]);
    await expect(flash()).resolves.toBe('You have signed out.');
  });

  it('a non-admin at /admin/ui sees "Not allowed", with the navigation to go back', async () => {
    const { email } = await createUser(h.t);
    await signInThroughForm(h, email);
    await h.page.goto(h.url('/admin/ui'));
    await expect(heading()).resolves.toBe('Not allowed');
    await Promise.all([h.page.waitForURL((u) => u.pathname === '/account'), nav().getByRole('link', { name: 'Account' }).click()]);
  });

  it('creates an API key: the key is shown once after the redirect, and a reload creates nothing', async () => {
    const { email, user } = await createUser(h.t);
    await signInThroughForm(h, email);
    await h.page.goto(h.url('/account/tokens'));
    await h.page.getByLabel('Name', { exact: true }).fill('reload test');
    await h.page.getByLabel(/read:device/).check();
    await Promise.all([h.page.waitForURL(h.url('/account/tokens')), h.page.getByRole('button', { name: 'Add API key' }).click()]);
    await expect(flash()).resolves.toBe('API key “reload test” added.');
    const key = (await h.page.getByTestId('revealed-secret').textContent())!.trim();
    expect(key).toMatch(/^ghpat_/);
    await h.page.reload();
    await expect(h.page.getByTestId('revealed-secret').count()).resolves.toBe(0);
    await expect(h.page.content()).resolves.not.toContain(key);
    expect(await h.t.dataSource.getRepository(PersonalToken).countBy({ userId: user.id })).toBe(1);
    // Deleting says so on the next page.
    await Promise.all([h.page.waitForURL(h.url('/account/tokens')), h.page.getByRole('button', { name: /Delete/ }).click()]);
    await expect(flash()).resolves.toBe('API key deleted.');
  });

  it('changes the password, then signs in with the new one (and not the old)', async () => {
    const { email } = await createUser(h.t);
    await signInThroughForm(h, email);
    await h.page.goto(h.url('/account'));
    await Promise.all([h.page.waitForURL(h.url('/account/password')), h.page.getByRole('link', { name: 'Change password' }).click()]);
    await h.page.getByLabel('Current password').fill(TEST_PASSWORD);
    await h.page.getByLabel('New password', { exact: true }).fill('password1234');
    await h.page.getByLabel('New password again').fill('password1234');
    await h.page.getByRole('button', { name: 'Change password' }).click();
    await expect(h.page.getByRole('alert').textContent()).resolves.toContain('too common');
    await h.page.getByLabel('Current password').fill(TEST_PASSWORD);
    await h.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await h.page.getByLabel('New password again').fill(NEW_PASSWORD);
    await Promise.all([h.page.waitForURL(h.url('/account')), h.page.getByRole('button', { name: 'Change password' }).click()]);
    await expect(flash()).resolves.toBe('Password changed.');

    await h.context.clearCookies();
    await h.page.goto(h.url('/login'));
    await h.page.getByLabel('Email').fill(email);
    await h.page.getByLabel('Password').fill(TEST_PASSWORD);
    await h.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(h.page.getByRole('alert').textContent()).resolves.toContain('incorrect');
    await signInThroughForm(h, email, NEW_PASSWORD);
    expect(new URL(h.page.url()).pathname).toBe('/account');
  });

  it('a temporary password must be changed first; a reset link issued by an admin sets a new one', async () => {
    const admin = await createUser(h.t, { roles: ['admin'] });
    const { email, user } = await createUser(h.t);
    await signInThroughForm(h, admin.email);

    // The admin resets the password: a temporary one, shown once.
    await h.page.goto(h.url(`/admin/ui/users/${user.id}`));
    await Promise.all([
      h.page.waitForURL(h.url(`/admin/ui/users/${user.id}`)),
      h.page.getByRole('button', { name: 'Reset password' }).click(),
    ]);
    const temporary = (await h.page.getByTestId('revealed-secret').textContent())!.trim();
    // ...and also creates a reset link, shown once.
    await Promise.all([
      h.page.waitForURL(h.url(`/admin/ui/users/${user.id}`)),
      h.page.getByRole('button', { name: 'Create reset link' }).click(),
    ]);
    const link = (await h.page.getByTestId('revealed-secret').textContent())!.trim();
    expect(link).toMatch(/\/password-reset\?token=ghpr_/);

    // The user signs in with the temporary password and must choose their own first.
    await h.context.clearCookies();
    await signInThroughForm(h, email, temporary);
    expect(new URL(h.page.url()).pathname).toBe('/account/password');
    await expect(h.page.getByTestId('password-required').isVisible()).resolves.toBe(true);
    await h.page.goto(h.url('/account/tokens'));
    expect(new URL(h.page.url()).pathname).toBe('/account/password');

    // The reset link (issued after the temporary password) works once.
    await h.context.clearCookies();
    await h.page.goto(link.replace('http://127.0.0.1', h.t.baseUrl));
    await h.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await h.page.getByLabel('New password again').fill(NEW_PASSWORD);
    await Promise.all([h.page.waitForURL((u) => u.pathname === '/login'), h.page.getByRole('button', { name: 'Set password' }).click()]);
    await expect(flash()).resolves.toBe('Password changed. Sign in with the new one.');
    await signInThroughForm(h, email, NEW_PASSWORD);
    expect(new URL(h.page.url()).pathname).toBe('/account');
    await h.page.goto(link.replace('http://127.0.0.1', h.t.baseUrl));
    await expect(h.page.getByTestId('reset-invalid').isVisible()).resolves.toBe(true);
    expect(await h.t.dataSource.getRepository(PasswordResetLink).countBy({ userId: user.id })).toBe(1);
  });

  it('edits a client and keeps its client_id; the removed redirect URI is refused at /oauth/authorize', async () => {
    const owner = await createUser(h.t);
    const c = await createClient(h.t, owner.user, {
      type: 'public',
      name: 'Editable',
      redirectUris: ['https://app.example.com/cb', 'https://app.example.com/old'],
    });
    await signInThroughForm(h, owner.email);
    await h.page.goto(h.url('/account/clients'));
    await Promise.all([h.page.waitForURL(h.url(`/account/clients/${c.clientId}`)), h.page.getByRole('link', { name: 'Editable' }).click()]);
    await h.page.getByLabel('Name', { exact: true }).fill('Edited');
    await h.page.getByLabel(/Redirect URIs/).fill('https://app.example.com/cb');
    await Promise.all([
      h.page.waitForURL(h.url(`/account/clients/${c.clientId}`)),
      h.page.getByRole('button', { name: 'Save changes' }).click(),
    ]);
    await expect(flash()).resolves.toBe('Client “Edited” saved.');
    await expect(h.page.getByTestId('client-id').textContent()).resolves.toBe(c.clientId);
    await expect(h.page.getByTestId('client-redirect-uris').textContent()).resolves.not.toContain('/old');

    const { params } = codeRequest({ clientId: c.clientId, type: 'public', redirectUris: ['https://app.example.com/old'] });
    const res = await h.page.goto(h.url(authorizeUrl(params)));
    expect(res?.status()).toBe(400);
    expect(new URL(h.page.url()).host).toBe(new URL(h.t.baseUrl).host);
  });

  it('every page renders and fits the width (the screenshots under docs/screenshots come from this tour)', async () => {
    const ids = await seedTour(h);
    // The same tour as `npm run screenshots`, written to the test artifacts rather than docs/.
    const results = await captureTour(h, ids, width, join(ARTIFACTS, 'screenshots'));
    expect(results.filter((r) => !r.fits).map((r) => r.page)).toEqual([]);
    // Nothing cut inside a page either: table buttons on one line, tables inside their cards.
    expect(results.filter((r) => r.faults.length).map((r) => `${r.page}: ${r.faults.join('; ')}`)).toEqual([]);
    // Header and navigation: at most two rows (at 390 px the links scroll sideways in one row);
    // the admin bar, where there is one, a single row.
    expect(results.filter((r) => r.nav.main > 2 || r.nav.admin > 1).map((r) => `${r.page}: ${JSON.stringify(r.nav)}`)).toEqual([]);
    expect(results.every((r) => r.title.endsWith('· Gatehouse'))).toBe(true);
    // Each stop is the page it names (a redirect to sign-in or an error page would show here).
    expect(results.filter((r) => !r.titleMatches).map((r) => `${r.page}: ${r.title}`)).toEqual([]);
  });
});
