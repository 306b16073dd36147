import { PasswordResetLink } from '../../src/account/password-reset-link.entity';
import { hashToken, tokenPattern } from '../../src/auth/token-format';
import { User } from '../../src/users/user.entity';
import { auditForTarget, signedInAdmin, startIsolatedTestApp } from './support/admin.fixture';
import { flashMessage, followRedirect, HTML, revealedSecret } from './support/pages.fixture';
import { createPat, csrfFromPage } from './support/personal-tokens.fixture';
import { settleOutbox } from './support/outbox.fixture';
import type { TestApp } from './support/test-app';
import { createUser, signedInUser, signIn, TEST_PASSWORD } from './support/users.fixture';
import { PASSWORD_RESET_TOKEN } from '../../src/account/password-reset.token-kind';

const NEW_PASSWORD = 'purple elephants dance quietly';

describe('account self-service: password change, temporary passwords, reset links, display name', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The outbox is database-wide: on MySQL, other files' apps would deliver this file's messages.
    t = await startIsolatedTestApp();
  });
  afterAll(() => t.close());

  const jsonSignIn = (email: string, password: string) => t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl });
  const passwordForm = async (cookie: string) => csrfFromPage((await t.http.get('/account/password', { cookie, headers: HTML })).text);

  describe('change password (POST /account/password)', () => {
    it('needs the current password, ends the other sessions, keeps this one, and is a security event', async () => {
      const u = await signedInUser(t);
      const other = await signIn(t, u.email);
      const _csrf = await passwordForm(u.cookie);

      const wrong = await t.http.post('/account/password', {
        cookie: u.cookie,
        form: { _csrf, currentPassword: 'not it at all!', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('Your current password is not correct.');

      const res = await t.http.post('/account/password', {
        cookie: u.cookie,
        form: { _csrf, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account');
      expect(flashMessage((await followRedirect(t, res, u.cookie)).text)).toBe('Password changed. Signed out of 1 other session.');
      expect((await t.http.get('/account/sessions', { cookie: other, headers: { accept: 'application/json' } })).status).toBe(401);
      expect((await t.http.get('/account/sessions', { cookie: u.cookie, headers: { accept: 'application/json' } })).status).toBe(200);
      expect((await jsonSignIn(u.email, TEST_PASSWORD)).status).toBe(401);
      expect((await jsonSignIn(u.email, NEW_PASSWORD)).status).toBe(200);

      const events = (await t.http.get('/account/security-events', { cookie: u.cookie })).body.items.map(
        (e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`,
      );
      expect(events).toEqual(expect.arrayContaining(['user.password_change:success', 'user.password_change:failed']));
      const row = await t.dataSource.getRepository(User).findOneByOrFail({ id: u.user.id });
      expect(row.passwordChangedAt).toBeInstanceOf(Date);
      expect((await t.http.get('/account', { cookie: u.cookie, headers: HTML })).text).toContain(
        `changed <time datetime="${row.passwordChangedAt!.toISOString()}"`,
      );
    });

    it.each([
      ['too short', 'short pass', 'Use at least 12 characters.'],
      ['a common password', 'Password1234', 'This password is too common'],
      ['one character repeated', 'aaaaaaaaaaaaaaaa', 'This password is too common'],
      ['built from the email', 'EMAIL!2', 'Do not build your password from your email address or name.'],
    ])('refuses %s with the reason, as a form (400 page) and as JSON (400)', async (_what, candidate, reason) => {
      const u = await signedInUser(t);
      const newPassword = candidate === 'EMAIL!2' ? `${u.email.split('@')[0]}!2` : candidate;
      const _csrf = await passwordForm(u.cookie);
      const form = await t.http.post('/account/password', {
        cookie: u.cookie,
        form: { _csrf, currentPassword: TEST_PASSWORD, newPassword, confirmPassword: newPassword },
      });
      expect(form.status).toBe(400);
      expect(form.text).toContain(reason);
      const json = await t.http.post('/account/password', { cookie: u.cookie, json: { currentPassword: TEST_PASSWORD, newPassword } });
      expect(json.status).toBe(400);
      expect(json.body.message).toContain(reason);
      expect((await jsonSignIn(u.email, TEST_PASSWORD)).status).toBe(200);
    });

    it('JSON: 204, and a token cannot change a password (cookie only)', async () => {
      const u = await signedInUser(t);
      const res = await t.http.post('/account/password', {
        cookie: u.cookie,
        json: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      });
      expect(res.status).toBe(204);
      const bearer = await t.http.post('/account/password', { bearer: 'ghpat_000000000000000000000000000000000000', json: {} });
      expect(bearer.status).toBe(401);
    });
  });

  describe('temporary passwords', () => {
    it('an admin-reset password must be changed at the next sign-in before any page opens', async () => {
      const admin = await signedInAdmin(t);
      const { user, email } = await createUser(t);
      const reset = await t.http.post(`/admin/users/${user.id}/reset-password`, { cookie: admin.cookie, json: {} });
      expect(reset.status).toBe(200);
      const temporary = reset.body.temporaryPassword as string;

      const signedIn = await jsonSignIn(email, temporary);
      expect(signedIn.body.passwordChangeRequired).toBe(true);
      const cookie = await signIn(t, email, temporary);
      for (const path of ['/account', '/account/tokens', '/account/sessions']) {
        const res = await t.http.get(path, { cookie, headers: HTML });
        expect({ path, status: res.status, location: res.headers.get('location') }).toEqual({
          path,
          status: 303,
          location: '/account/password?required',
        });
      }
      const page = await t.http.get('/account/password?required', { cookie, headers: HTML });
      expect(page.text).toContain('data-testid="password-required"');
      // Every link would lead back here: the navigation offers only "Sign out", on this page and on
      // "Page not found" (which reads the session cookie itself).
      for (const res of [page, await t.http.get('/no-such-page', { cookie, headers: HTML })]) {
        expect(res.text).toContain('data-testid="site-nav"');
        expect(res.text).toContain('action="/auth/logout"');
        expect(res.text).not.toContain('href="/account/tokens"');
      }
      const changed = await t.http.post('/account/password', {
        cookie,
        form: { _csrf: csrfFromPage(page.text), currentPassword: temporary, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      });
      expect(changed.status).toBe(303);
      expect((await t.http.get('/account', { cookie, headers: HTML })).status).toBe(200);
      expect((await jsonSignIn(email, NEW_PASSWORD)).body.passwordChangeRequired).toBe(false);
    });

    it('a session with a temporary password gets 403 password_change_required on API calls and form posts; it may change the password or sign out; tokens keep working', async () => {
      const admin = await signedInAdmin(t);
      const { user, email } = await createUser(t);
      const pat = await createPat(t, await signIn(t, email), ['read:device']);
      const reset = await t.http.post(`/admin/users/${user.id}/reset-password`, { cookie: admin.cookie, json: {} });
      const temporary = reset.body.temporaryPassword as string;
      const cookie = await signIn(t, email, temporary);
      const _csrf = await passwordForm(cookie);

      const refused = [
        await t.http.get('/devices', { cookie }),
        await t.http.get('/me', { cookie }),
        await t.http.get('/account/tokens', { cookie, headers: { accept: 'application/json' } }),
        await t.http.post('/devices', { cookie, json: { name: 'x' }, origin: t.baseUrl }),
        await t.http.post('/account/tokens', { cookie, json: { name: 'x', scopes: ['read:device'] }, origin: t.baseUrl }),
        await t.http.post('/account/profile', { cookie, form: { _csrf, displayName: 'Renamed' }, origin: t.baseUrl }),
        await t.http.post('/account/sessions/revoke-others', { cookie, form: { _csrf }, origin: t.baseUrl }),
      ];
      for (const res of refused) {
        expect({ status: res.status, error: res.body?.error }).toEqual({ status: 403, error: 'password_change_required' });
        expect(res.body.message).toContain('POST /account/password');
      }
      expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).displayName).not.toBe('Renamed');
      // A token the user made before the reset is not a session: it keeps working (docs/admin.md).
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);

      // Signing out is allowed.
      const second = await signIn(t, email, temporary);
      const out = await t.http.post('/auth/logout', { cookie: second, form: { _csrf: await passwordForm(second) }, origin: t.baseUrl });
      expect(out.status).toBe(303);

      // Changing it over JSON lifts the restriction at once.
      const changed = await t.http.post('/account/password', {
        cookie,
        json: { currentPassword: temporary, newPassword: NEW_PASSWORD },
        origin: t.baseUrl,
      });
      expect(changed.status).toBe(204);
      expect((await t.http.get('/devices', { cookie })).status).toBe(200);
      expect((await t.http.post('/devices', { cookie, json: { name: 'x' }, origin: t.baseUrl })).status).toBe(201);
    });

    it('a browser signing in with a temporary password lands on "Change password"', async () => {
      const admin = await signedInAdmin(t);
      const { user, email } = await createUser(t);
      await t.http.post(`/admin/users/${user.id}/reset-password`, { cookie: admin.cookie, json: { password: 'an admin chosen one' } });
      const res = await t.http.post('/auth/login', {
        form: { email, password: 'an admin chosen one', next: '/account' },
        origin: t.baseUrl,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account/password?required');
    });
  });

  describe('reset links', () => {
    const issue = async (adminCookie: string, userId: string) => {
      const res = await t.http.post(`/admin/users/${userId}/password-reset-link`, { cookie: adminCookie, json: {} });
      expect(res.status).toBe(201);
      return { ...res.body, token: new URL(res.body.url).searchParams.get('token')! } as { url: string; expiresAt: string; token: string };
    };
    const useLink = (token: string, newPassword = NEW_PASSWORD) =>
      t.http.post('/password-reset', { json: { token, newPassword }, origin: t.baseUrl });

    it('an admin issues a one-time link (stored hashed, 30 min); it sets the password once, ends every session, and is audited', async () => {
      const admin = await signedInAdmin(t);
      const u = await signedInUser(t);
      const link = await issue(admin.cookie, u.user.id);
      expect(link.url.startsWith('http://127.0.0.1/password-reset?token=')).toBe(true);
      expect(link.token).toMatch(tokenPattern(PASSWORD_RESET_TOKEN));
      expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
      expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
      const [row] = await t.dataSource.getRepository(PasswordResetLink).findBy({ userId: u.user.id });
      expect(row.tokenHash).toBe(hashToken(link.token));
      expect(JSON.stringify(await t.dataSource.getRepository(PasswordResetLink).find())).not.toContain(link.token);
      expect(JSON.stringify(await auditForTarget(t, u.user.id))).not.toContain(link.token);

      const page = await t.http.get(`/password-reset?token=${link.token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`name="token" value="${link.token}"`);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');

      expect((await useLink(link.token)).status).toBe(204);
      expect((await t.http.get('/account/sessions', { cookie: u.cookie, headers: { accept: 'application/json' } })).status).toBe(401);
      expect((await jsonSignIn(u.email, NEW_PASSWORD)).status).toBe(200);
      // Single use.
      const again = await useLink(link.token, 'another fine passphrase');
      expect(again.status).toBe(400);
      expect((await t.http.get(`/password-reset?token=${link.token}`)).text).toContain('data-testid="reset-invalid"');
      const actions = (await auditForTarget(t, u.user.id)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['admin.user.password_reset_link', 'user.password_reset_by_link']));
    });

    it('an expired link, a superseded link and a made-up token are all refused', async () => {
      const admin = await signedInAdmin(t);
      const { user } = await createUser(t);
      const first = await issue(admin.cookie, user.id);
      const second = await issue(admin.cookie, user.id);
      expect((await useLink(first.token)).status).toBe(400);
      await t.dataSource
        .getRepository(PasswordResetLink)
        .update({ tokenHash: hashToken(second.token) }, { expiresAt: new Date(Date.now() - 1000) });
      expect((await useLink(second.token)).status).toBe(400);
      expect((await useLink('ghpr_madeupmadeupmadeupmadeupmadeup123456')).status).toBe(400);
      expect((await t.http.get('/password-reset?token=nope')).status).toBe(400);
    });

    it('a weak password keeps the link usable and shows the reason on the form', async () => {
      const admin = await signedInAdmin(t);
      const { user } = await createUser(t);
      const link = await issue(admin.cookie, user.id);
      const weak = await t.http.post('/password-reset', {
        form: { token: link.token, newPassword: 'password1234', confirmPassword: 'password1234' },
        origin: t.baseUrl,
      });
      expect(weak.status).toBe(400);
      expect(weak.text).toContain('This password is too common');
      const ok = await t.http.post('/password-reset', {
        form: { token: link.token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        origin: t.baseUrl,
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/login');
    });

    it('"Forgot password" answers the same whether or not the email has an account (no enumeration); without SMTP it sends nothing', async () => {
      const { user, email } = await createUser(t);
      const known = await t.http.post('/password-reset/request', { json: { email }, origin: t.baseUrl });
      const unknown = await t.http.post('/password-reset/request', { json: { email: 'nobody-here@example.test' }, origin: t.baseUrl });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(known.body).toEqual(unknown.body);
      await settleOutbox(t, 'account.password_reset_request');
      expect(await t.dataSource.getRepository(PasswordResetLink).countBy({ userId: user.id })).toBe(0);
      expect((await t.http.get('/password-reset/request')).text).toContain('data-testid="ask-admin"');
    });

    it('the admin page creates a link and shows it once from the flash', async () => {
      const admin = await signedInAdmin(t);
      const { user } = await createUser(t);
      const page = await t.http.get(`/admin/ui/users/${user.id}`, { cookie: admin.cookie, headers: HTML });
      const res = await t.http.post(`/admin/ui/users/${user.id}/reset-link`, {
        cookie: admin.cookie,
        form: { _csrf: csrfFromPage(page.text) },
      });
      expect(res.status).toBe(303);
      const shown = await followRedirect(t, res, admin.cookie);
      // Handlebars writes "=" as &#x3D;; the browser shows the plain URL.
      expect(revealedSecret(shown.text)?.replace(/&#x3D;/g, '=')).toMatch(/^http:\/\/127\.0\.0\.1\/password-reset\?token=ghpr_\w{36}$/);
    });
  });

  describe('display name', () => {
    it('changes from the account page, with a flash; audited', async () => {
      const u = await signedInUser(t);
      const page = await t.http.get('/account', { cookie: u.cookie, headers: HTML });
      const res = await t.http.post('/account/profile', {
        cookie: u.cookie,
        form: { _csrf: csrfFromPage(page.text), displayName: '  Ada Lovelace ' },
      });
      expect(res.status).toBe(303);
      const shown = await followRedirect(t, res, u.cookie);
      expect(flashMessage(shown.text)).toBe('Name saved.');
      expect(shown.text).toContain('data-testid="signed-in-user">Ada Lovelace<');
      expect((await t.http.post('/account/profile', { cookie: u.cookie, json: { displayName: '' } })).status).toBe(400);
      expect((await auditForTarget(t, u.user.id, 'user.profile_update')).length).toBe(1);
    });
  });
});
