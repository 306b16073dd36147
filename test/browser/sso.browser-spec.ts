import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ExternalIdentity } from '../../src/sso-connections/external-identity.entity';
import { SsoConnection } from '../../src/sso-connections/sso-connection.entity';
import { SsoStateCookie } from '../../src/sso/sso-state.cookie';
import { User } from '../../src/users/user.entity';
import { auditForTarget, detailsOf, signedInAdmin, SignedIn } from '../e2e/support/admin.fixture';
import { freePort } from '../e2e/support/test-app';
import {
  createConnection,
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  SSO_TEST_ENV,
  startUpstreamIdp,
  uniqueRealm,
  UpstreamIdp,
} from '../e2e/support/sso.fixture';
import { createUser, TEST_PASSWORD } from '../e2e/support/users.fixture';
import type { Cookie } from 'playwright-core';
import { BrowserHarness, startBrowserHarness } from './support/browser';

/**
 * Single sign-on in chromium (issue 26), with node-oidc-provider as the company's IdP: an admin
 * adds the connection through the form, then people sign in through the button and through
 * their email's domain (home-realm discovery), each getting a just-in-time account.
 */
describe('browser: single sign-on through an upstream OpenID Connect IdP', () => {
  let h: BrowserHarness;
  let idp: UpstreamIdp;
  let api: SignedIn;
  const { slug, domain } = uniqueRealm('browser');

  beforeAll(async () => {
    const port = await freePort();
    h = await startBrowserHarness({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...SSO_TEST_ENV }, { port });
    idp = await startUpstreamIdp(h.t.baseUrl);
    api = await signedInAdmin(h.t); // for the connections the tests only need to exist
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
  const users = () => h.t.dataSource.getRepository(User);
  const identities = () => h.t.dataSource.getRepository(ExternalIdentity);
  const audit = async (action: string, outcome?: 'success' | 'denied') =>
    (await h.t.dataSource.getRepository(AuditEvent).findBy({ action, ...(outcome ? { outcome } : {}) })).map(detailsOf);
  const signedInName = () => h.page.getByTestId('signed-in-user').textContent();
  const errorText = () => h.page.getByRole('alert').textContent();

  async function clickSsoButton(name: string) {
    await h.page.goto(h.url('/login'));
    await Promise.all([h.page.waitForEvent('load'), h.page.getByRole('link', { name: `Sign in with ${name}` }).click()]);
  }

  async function signInWithPassword(email: string, next = '/account') {
    const { page } = h;
    await page.goto(h.url(`/login?next=${encodeURIComponent(next)}`));
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
  }

  /** Starts a sign-in through the button; the IdP holds its redirect back (a link on its page). Returns that URL and the state cookie. */
  async function heldCallback(name: string): Promise<{ url: string; cookie: Cookie }> {
    const { page, context } = h;
    await idp.send({ park: true });
    try {
      await clickSsoButton(name);
      const url = await page.locator('#callback').getAttribute('href');
      const stateName = h.t.get<SsoStateCookie>(SsoStateCookie).name;
      const cookie = (await context.cookies(h.t.baseUrl)).find((c) => c.name === stateName);
      if (!url || !cookie) throw new Error('no callback held');
      return { url, cookie };
    } finally {
      await idp.send({ park: false });
    }
  }

  it('reuses the account at the second sign-in (matched by iss + sub), and records it in the audit log', async () => {
    await h.context.clearCookies();
    await idp.signInAs(`b-${slug}`, { email: `lin@${domain}`, email_verified: true, name: 'Lin Button' });
    await clickSsoButton('Example Corp');
    await expect(signedInName()).resolves.toBe('Lin Button');
    const user = await users().findOneByOrFail({ email: `lin@${domain}` });
    expect(await users().countBy({ email: `lin@${domain}` })).toBe(1);
    expect(await identities().countBy({ userId: user.id })).toBe(1);
    const logins = (await audit('auth.sso_login', 'success')).filter((d) => d.subject === `b-${slug}`);
    expect(logins.map((d) => d.account).sort()).toEqual(['created', 'matched']); // rows of one millisecond: no order
    expect((await audit('sso.jit_create')).filter((d) => d.connection === slug)).toHaveLength(2); // lin and ravi
    expect((await audit('admin.sso.create')).length).toBeGreaterThanOrEqual(1);
  });

  it('does not link to a local account on an unverified email, links on a verified one when the connection trusts email', async () => {
    const trusting = uniqueRealm('trust');
    await createConnection(h.t, api, idp, {
      slug: trusting.slug,
      name: 'Trusting Corp',
      allowedDomains: [trusting.domain],
      trustEmail: true,
    });
    const local = await createUser(h.t, { email: `grace@${trusting.domain}`, displayName: 'Grace Local' });

    await h.context.clearCookies();
    await idp.signInAs(`unverified-${trusting.slug}`, { email: local.email, email_verified: false });
    await clickSsoButton('Trusting Corp');
    await expect(errorText()).resolves.toContain('Sign in with its password, then link Trusting Corp from your account page');
    expect(await identities().countBy({ userId: local.user.id })).toBe(0);
    await expect(h.page.getByTestId('signed-in-user').count()).resolves.toBe(0);

    await h.context.clearCookies();
    await idp.signInAs(`verified-${trusting.slug}`, { email: local.email, email_verified: true });
    await clickSsoButton('Trusting Corp');
    await expect(signedInName()).resolves.toBe('Grace Local');
    expect(await identities().countBy({ userId: local.user.id })).toBe(1);
    expect((await audit('sso.identity_link')).filter((d) => d.connection === trusting.slug)).toEqual([
      expect.objectContaining({ by: 'trusted_email' }),
    ]);
    expect((await audit('auth.sso_login', 'denied')).filter((d) => d.connection === trusting.slug)).toEqual([
      expect.objectContaining({ reason: 'account_exists', detail: 'email_not_verified' }),
    ]);
  });

  it('links an identity provider from the account page after the local password (step-up)', async () => {
    const local = await createUser(h.t, { email: `kim@${domain}`, displayName: 'Kim Local' });
    await h.context.clearCookies();
    await idp.signInAs(`kim-${slug}`, { email: local.email, email_verified: true });
    await clickSsoButton('Example Corp'); // the connection does not trust email: refused, told to link
    await expect(errorText()).resolves.toContain('then link Example Corp from your account page');

    await h.context.clearCookies();
    await signInWithPassword(local.email, '/account/sso');
    const { page } = h;
    await expect(page.getByTestId('linked-identities').textContent()).resolves.toContain('None yet.');
    await page.getByLabel('Provider').selectOption(slug);
    await page.getByLabel('Your password').fill('not the password');
    await page.getByRole('button', { name: 'Continue to the provider' }).click();
    await expect(errorText()).resolves.toBe('The password is not right.');

    await page.getByLabel('Your password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(h.url('/account/sso')), page.getByRole('button', { name: 'Continue to the provider' }).click()]);
    await page.waitForSelector('[data-testid="linked-identities"]');
    await expect(page.getByTestId('linked-identities').textContent()).resolves.toContain(`Example Corp — ${local.email}`);
    await expect(page.content()).resolves.toContain('Example Corp is linked to your account.');
    await h.screenshot('sso-account-linked');

    await h.context.clearCookies(); // and the next time, through the button
    await clickSsoButton('Example Corp');
    await expect(signedInName()).resolves.toBe('Kim Local');
    expect((await audit('sso.identity_link')).filter((d) => d.subject === `kim-${slug}`)).toEqual([
      expect.objectContaining({ by: 'user' }),
    ]);
  });

  it("refuses a tampered state, a replayed callback, another browser's state and a nonce mismatch, with no session", async () => {
    const { page, context } = h;
    await idp.signInAs(`b-${slug}`, { email: `lin@${domain}`, email_verified: true, name: 'Lin Button' });
    const stateName = h.t.get<SsoStateCookie>(SsoStateCookie).name;

    await context.clearCookies();
    const a = await heldCallback('Example Corp');
    const tampered = new URL(a.url);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    await page.goto(tampered.toString());
    await expect(errorText()).resolves.toContain('does not belong to this browser');

    // Another browser's state: this browser's cookie was spent; a fresh start's cookie with the old response.
    await context.clearCookies();
    const b = await heldCallback('Example Corp');
    await context.clearCookies();
    await heldCallback('Example Corp'); // this browser's cookie is now the later sign-in's
    const crossed = await page.goto(b.url);
    expect(crossed?.status()).toBe(400);
    await expect(errorText()).resolves.toContain('does not belong to this browser');

    // Replay: the callback works once; the same response with the same cookie again is refused.
    await context.clearCookies();
    const d = await heldCallback('Example Corp');
    await Promise.all([page.waitForURL(h.url('/account')), page.goto(d.url)]);
    await expect(signedInName()).resolves.toBe('Lin Button');
    await context.clearCookies();
    await context.addCookies([{ ...d.cookie }]);
    const replay = await page.goto(d.url);
    expect(replay?.status()).toBe(400);
    await expect(errorText()).resolves.toContain('already used');
    await expect(page.getByTestId('signed-in-user').count()).resolves.toBe(0);
    await h.screenshot('sso-replayed');

    await context.clearCookies();
    await idp.send({ fault: { path: '/auth', kind: 'wrong-nonce' } });
    await clickSsoButton('Example Corp');
    await idp.send({ clear: true });
    await expect(errorText()).resolves.toContain('did not pass its security checks');
    expect((await context.cookies(h.t.baseUrl)).map((k) => k.name)).not.toContain(stateName);
    await expect(page.getByTestId('signed-in-user').count()).resolves.toBe(0);

    const reasons = (await audit('auth.sso_login', 'denied')).filter((r) => r.connection === slug).map((r) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(['state_mismatch', 'state_replayed', 'invalid_response']));
  });

  it('refuses password sign-in for a domain that requires single sign-on, and offers its button', async () => {
    const strict = uniqueRealm('strict');
    await createConnection(h.t, api, idp, { slug: strict.slug, name: 'Strict Corp', requiredDomains: [strict.domain] });
    const local = await createUser(h.t, { email: `pat@${strict.domain}` });
    await h.context.clearCookies();
    await signInWithPassword(local.email);
    await expect(errorText()).resolves.toContain('sign in with Strict Corp: passwords are not used for this address');
    await expect(h.page.getByTestId('signed-in-user').count()).resolves.toBe(0);
    await h.screenshot('sso-required');
    expect((await audit('auth.login', 'denied')).filter((d) => d.email === local.email)).toEqual([
      expect.objectContaining({ reason: 'sso_required' }),
    ]);
  });

  it("refuses a disabled user, and disabling the connection from its admin page ends its users' sessions and refuses new sign-ins", async () => {
    const { page, context } = h;
    // A disabled Gatehouse user: the IdP says yes, Gatehouse says no.
    const ravi = await users().findOneByOrFail({ email: `ravi@${domain}` });
    expect((await h.t.http.post(`/admin/users/${ravi.id}/disable`, { cookie: api.cookie })).status).toBe(200);
    await context.clearCookies();
    await idp.signInAs(`r-${slug}`, { email: `ravi@${domain}`, email_verified: true, name: 'Ravi Routed' });
    await clickSsoButton('Example Corp');
    await expect(errorText()).resolves.toContain('This account is disabled');
    await expect(page.getByTestId('signed-in-user').count()).resolves.toBe(0);

    // Lin is signed in through the connection; the admin disables it with "also sign out".
    await context.clearCookies();
    await idp.signInAs(`b-${slug}`, { email: `lin@${domain}`, email_verified: true, name: 'Lin Button' });
    await clickSsoButton('Example Corp');
    await expect(signedInName()).resolves.toBe('Lin Button');
    const linCookies = await context.cookies(h.t.baseUrl);

    await context.clearCookies();
    const connection = await h.t.dataSource.getRepository(SsoConnection).findOneByOrFail({ slug });
    const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Dee Admin' });
    await signInWithPassword(admin.email, `/admin/ui/sso/${connection.id}`);
    await page.getByLabel('Also sign out every user linked through it').check();
    page.once('dialog', (d) => void d.accept()); // "Disable this connection? New sign-ins through it are refused at once."
    await Promise.all([page.waitForURL(/done=disabledSignedOut/), page.getByRole('button', { name: 'Disable', exact: true }).click()]);

    await context.clearCookies();
    await context.addCookies(linCookies);
    await page.goto(h.url('/account'));
    expect(new URL(page.url()).pathname).toBe('/login'); // the session ended
    await expect(page.getByRole('link', { name: 'Sign in with Example Corp' }).count()).resolves.toBe(0);
    const start = await page.goto(h.url(`/auth/sso/${slug}/start`));
    expect(start?.status()).toBe(403);
    await expect(errorText()).resolves.toContain('turned off');

    const reasons = (await audit('auth.sso_login', 'denied')).filter((r) => r.connection === slug).map((r) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(['user_disabled', 'connection_disabled']));
    expect((await auditForTarget(h.t, connection.id, 'admin.sso.disable')).map(detailsOf)).toEqual([
      expect.objectContaining({ endSessions: true, usersSignedOut: expect.any(Number) }),
    ]);
  });
});
