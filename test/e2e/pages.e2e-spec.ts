import { NavigationRegistry } from '../../src/web/navigation.registry';
import { signedInAdmin } from './support/admin.fixture';
import { createClient } from './support/clients.fixture';
import { flashMessage, followRedirect, HTML } from './support/pages.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser, signIn } from './support/users.fixture';

/** The navigation's built-in entries, in order; other modules add theirs through NavigationRegistry. */
const BUILT_IN = ['Account', 'Sessions', 'API keys', 'Developer settings', 'Authorized apps', 'Security events'];

/** The labels of the main navigation, in order. */
function navLabels(html: string): string[] {
  const nav = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<a href="[^"]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
}

describe('pages: home, navigation, sessions page, flash messages, not allowed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Every link of the main navigation for a non-admin, as the registry holds them (built-in and added). */
  const mainLinks = () => t.get<NavigationRegistry>(NavigationRegistry).linksFor('main', '/', false);
  const navOf = () => mainLinks().map((l) => l.label);

  describe('GET /', () => {
    it('sends a signed-out visitor to the sign-in page', async () => {
      const res = await t.http.get('/', { headers: HTML });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    });

    it('sends a signed-in person to their account; a revoked session counts as signed out', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.get('/', { cookie, headers: HTML });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account');
      const out = await t.http.post('/auth/logout', { cookie });
      expect(out.status).toBe(204);
      expect((await t.http.get('/', { cookie, headers: HTML })).headers.get('location')).toBe('/login');
    });

    it('serves a favicon at /favicon.ico and links it from every page', async () => {
      const icon = await t.http.get('/favicon.ico');
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(icon.text).toContain('<svg');
      expect((await t.http.get('/login')).text).toContain('<link rel="icon" href="/static/favicon.svg"');
      expect((await t.http.get('/static/favicon.svg')).status).toBe(200);
    });
  });

  describe('navigation', () => {
    it('API keys and Developer settings link the API reference (/docs) and the OAuth metadata, and those links work', async () => {
      const { cookie } = await signedInUser(t);
      const keys = await t.http.get('/account/tokens', { cookie, headers: HTML });
      expect(keys.text).toContain('<a href="/docs">API reference</a>');
      const dev = await t.http.get('/account/clients', { cookie, headers: HTML });
      expect(dev.text).toContain('<a href="/docs">API reference</a>');
      expect(dev.text).toContain('<a href="/.well-known/oauth-authorization-server">');
      const docs = await t.http.get('/docs', { headers: HTML });
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
      expect((await t.http.get('/.well-known/oauth-authorization-server')).status).toBe(200);
    });

    it('every account page shows the same navigation, marks where you are, and has Sign out; no Admin for a non-admin', async () => {
      const { cookie } = await signedInUser(t);
      expect(navOf().filter((l) => BUILT_IN.includes(l))).toEqual(BUILT_IN);
      for (const { href: path, label } of mainLinks()) {
        const res = await t.http.get(path, { cookie, headers: HTML });
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect({ path, labels: navLabels(res.text) }).toEqual({ path, labels: navOf() });
        expect(res.text).toContain(`<a href="${path}" aria-current="page">${label}</a>`);
        expect(res.text.match(/aria-current="page"/g)).toHaveLength(1);
        expect(res.text).toMatch(/<form method="post" action="\/auth\/logout"[\s\S]*?Sign out/);
      }
    });

    it('an admin also sees Admin, and the admin pages show both the main and the admin navigation', async () => {
      const admin = await signedInAdmin(t);
      const account = await t.http.get('/account', { cookie: admin.cookie, headers: HTML });
      expect(navLabels(account.text)).toEqual([...navOf(), 'Admin']);
      const dashboard = await t.http.get('/admin/ui/users', { cookie: admin.cookie, headers: HTML });
      expect(navLabels(dashboard.text)).toEqual([...navOf(), 'Admin']);
      expect(dashboard.text).toContain('<nav class="admin-nav" aria-label="Administration">');
      expect(dashboard.text).toContain('<a href="/admin/ui/users" aria-current="page">Users</a>');
    });
  });

  describe('not allowed', () => {
    it('a signed-in non-admin opening /admin/ui in a browser gets a "Not allowed" page (403) with the navigation', async () => {
      const { cookie, email } = await signedInUser(t);
      for (const path of ['/admin/ui', '/admin/ui/users', '/admin/ui/audit']) {
        const res = await t.http.get(path, { cookie, headers: HTML });
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(res.text).toContain('<title>Not allowed · Gatehouse</title>');
        expect(res.text).toContain('data-testid="not-allowed"');
        expect(res.text).toContain(email);
        expect(navLabels(res.text)).toEqual(navOf());
      }
    });

    it('a script asking for JSON keeps the RFC 6750 §3.1 insufficient_scope answer', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.get('/admin/ui', { cookie, headers: { accept: 'application/json' } });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });
  });

  describe('sessions page (/account/sessions)', () => {
    it('a browser gets a page listing the sessions; an API client keeps the JSON list', async () => {
      const u = await signedInUser(t);
      const other = await signIn(t, u.email);
      const page = await t.http.get('/account/sessions', { cookie: u.cookie, headers: HTML });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.text.match(/<tr data-session-id=/g)).toHaveLength(2);
      expect(page.text).toContain('This session');
      const json = await t.http.get('/account/sessions', { cookie: other });
      expect(json.headers.get('content-type')).toContain('application/json');
      expect(json.body.items).toHaveLength(2);
    });

    it('"Sign out everywhere else" comes back with a flash saying how many, shown once', async () => {
      const u = await signedInUser(t);
      await signIn(t, u.email);
      await signIn(t, u.email);
      const page = await t.http.get('/account/sessions', { cookie: u.cookie, headers: HTML });
      const res = await t.http.post('/account/sessions/revoke-others', { cookie: u.cookie, form: { _csrf: csrfFromPage(page.text) } });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account/sessions');
      const shown = await followRedirect(t, res, u.cookie);
      expect(flashMessage(shown.text)).toBe('Signed out of 2 other sessions.');
      // The page cleared the flash: the next page shows none.
      expect(shown.setCookies.some((c) => c.includes('_flash=;'))).toBe(true);
      expect(flashMessage((await t.http.get('/account/sessions', { cookie: u.cookie, headers: HTML })).text)).toBeUndefined();
    });

    it('a flash sealed for one session is not shown to another, and a forged one is ignored', async () => {
      const u = await signedInUser(t);
      const page = await t.http.get('/account/tokens', { cookie: u.cookie, headers: HTML });
      const res = await t.http.post('/account/tokens/new', {
        cookie: u.cookie,
        form: { _csrf: csrfFromPage(page.text), name: 'k', scopes: 'read:device' },
      });
      const other = await signedInUser(t);
      const stolen = await followRedirect(t, res, other.cookie);
      expect(stolen.text).not.toContain('ghpat_');
      const forged = await t.http.get('/account', {
        cookie: `${u.cookie}; __Host-gatehouse_session_flash=eyJhbGciOiJkaXIifQ..x.y.z`,
        headers: HTML,
      });
      expect(forged.status).toBe(200);
      expect(flashMessage(forged.text)).toBeUndefined();
    });
  });

  describe('sign-in page', () => {
    it('names the app when the person comes from /oauth/authorize', async () => {
      const { user } = await createUser(t);
      const c = await createClient(t, user, { name: 'Radon Dashboard', redirectUris: ['https://app.example.com/cb'] });
      const authorize = `/oauth/authorize?response_type=code&client_id=${c.clientId}&redirect_uri=${encodeURIComponent('https://app.example.com/cb')}`;
      const res = await t.http.get(authorize, { headers: HTML });
      expect(res.status).toBe(303);
      const login = await t.http.get(res.headers.get('location')!);
      expect(login.text).toContain('data-testid="sign-in-purpose">Sign in to Gatehouse to continue to Radon Dashboard.</p>');
      expect((await t.http.get('/login?next=%2Faccount')).text).not.toContain('sign-in-purpose');
      expect((await t.http.get('/login?next=%2Foauth%2Fauthorize%3Fclient_id%3Dnope')).text).not.toContain('sign-in-purpose');
    });

    it('says "You have signed out." after signing out from a page', async () => {
      const { cookie } = await signedInUser(t);
      const page = await t.http.get('/account', { cookie, headers: HTML });
      const out = await t.http.post('/auth/logout', { cookie, form: { _csrf: csrfFromPage(page.text) } });
      expect(out.headers.get('location')).toBe('/login');
      expect(flashMessage((await followRedirect(t, out, '')).text)).toBe('You have signed out.');
    });
  });
});
