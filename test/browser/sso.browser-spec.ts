import { freePort } from '../e2e/support/test-app';
import { SSO_TEST_ENV, startUpstreamIdp, uniqueRealm, UpstreamIdp, IDP_CLIENT_ID, IDP_CLIENT_SECRET } from '../e2e/support/sso.fixture';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import { BrowserHarness, startBrowserHarness } from './support/browser';

/**
 * Single sign-on in chromium (issue 26), with node-oidc-provider as the company's IdP: an admin
 * adds the connection through the form, then people sign in through the button and through
 * their email's domain (home-realm discovery), each getting a just-in-time account.
 */
describe('browser: single sign-on through an upstream OpenID Connect IdP', () => {
  let h: BrowserHarness;
  let idp: UpstreamIdp;
  const { slug, domain } = uniqueRealm('browser');

  beforeAll(async () => {
    const port = await freePort();
    h = await startBrowserHarness({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...SSO_TEST_ENV }, { port });
    idp = await startUpstreamIdp(h.t.baseUrl);
  });
  afterAll(async () => {
    await idp?.close();
    await h?.close();
  });

  it('lets an admin add a connection through the form; its page shows the redirect URI to register', async () => {
    const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Ada Admin' });
    const { page } = h;
    await page.goto(h.url('/login?next=/admin/ui/sso'));
    await page.getByLabel('Email', { exact: true }).fill(admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url('/admin/ui/sso')), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);

    await page.getByLabel('Name (on the button').fill('Example Corp');
    await page.getByLabel('Slug').fill(slug);
    await page.getByLabel('Issuer URL').fill(idp.issuer);
    await page.getByLabel('Client ID').fill(IDP_CLIENT_ID);
    await page.getByLabel('Client secret').fill(IDP_CLIENT_SECRET);
    await page.getByLabel('Email domains').fill(domain);
    await h.screenshot('sso-connection-form');
    await Promise.all([
      page.waitForURL(/\/admin\/ui\/sso\/[0-9a-f-]{36}\?done=created$/),
      page.getByRole('button', { name: 'Add connection' }).click(),
    ]);
    await expect(page.getByTestId('redirect-uri').textContent()).resolves.toBe(`${h.t.baseUrl}/auth/sso/${slug}/callback`);
    await expect(page.content()).resolves.not.toContain(IDP_CLIENT_SECRET);
    await h.context.clearCookies();
  });

  it('signs a new person in through the button (a just-in-time account), then through their email domain', async () => {
    const { page } = h;
    await idp.signInAs(`b-${slug}`, { email: `lin@${domain}`, email_verified: true, name: 'Lin Button' });
    await page.goto(h.url('/login'));
    await h.screenshot('sso-login');
    await Promise.all([page.waitForURL(h.url('/account')), page.getByRole('link', { name: 'Sign in with Example Corp' }).click()]);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Lin Button');

    await h.context.clearCookies(); // signed out here and at the IdP
    await idp.signInAs(`r-${slug}`, { email: `ravi@${domain}`, email_verified: true, name: 'Ravi Routed' });
    await page.goto(h.url('/login'));
    await page.getByLabel('Work address').fill(`ravi@${domain}`);
    await Promise.all([page.waitForURL(h.url('/account')), page.getByRole('button', { name: 'Continue with single sign-on' }).click()]);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Ravi Routed');
  });

  it('shows a refused sign-in as a readable page', async () => {
    const { page } = h;
    await h.context.clearCookies();
    await idp.send({ deny: true });
    await page.goto(h.url('/login'));
    await page.getByRole('link', { name: 'Sign in with Example Corp' }).click();
    await page.waitForSelector('[data-testid="sso-error"]');
    await idp.send({ deny: false });
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Single sign-on did not work');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('cancelled or refused');
    await h.screenshot('sso-error');
  });
});
