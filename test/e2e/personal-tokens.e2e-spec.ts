import { existsSync, readFileSync } from 'node:fs';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { generateToken, hashToken, isWellFormed, redactToken, tokenPattern } from '../../src/auth/token-format';
import { Device } from '../../src/devices/device.entity';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { User } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import { createDevice } from './support/devices.fixture';
import {
  countPatRows,
  createPat,
  csrfFromPage,
  dumpAllTables,
  findPatRow,
  setPatTimes,
  userWithPat,
} from './support/personal-tokens.fixture';
import { flashMessage, followRedirect, revealedSecret } from './support/pages.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';

const DAY_MS = 86_400_000;
const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('personal access tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const auditRows = (action: string, targetId: string) => t.dataSource.getRepository(AuditEvent).findBy({ action, targetId });

  describe('POST /account/tokens', () => {
    it('creates a token, returns it once, stores only its SHA-256 and audits pat.create', async () => {
      const { cookie, user } = await signedInUser(t);
      const before = Date.now();
      const res = await t.http.post('/account/tokens', {
        cookie,
        json: { name: '  backup script ', scopes: ['read:device', 'write:device'] },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { token, id } = res.body;
      expect(token).toMatch(tokenPattern(PAT_TOKEN));
      expect(isWellFormed(PAT_TOKEN, token)).toBe(true);
      expect(res.body).toMatchObject({
        name: 'backup script',
        scopes: ['read:device', 'write:device'],
        hint: redactToken(token),
        lastUsedAt: null,
        expired: false,
      });
      // Default expiry: 90 days.
      const expires = Date.parse(res.body.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
      expect(expires).toBeLessThan(Date.now() + 90 * DAY_MS + 1000);

      const row = await findPatRow(t, id);
      expect(row).toMatchObject({ userId: user.id, tokenHash: hashToken(token), revokedAt: null });

      const audit = await auditRows('pat.create', id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorType: 'user',
        actorId: user.id,
        credentialKind: 'session',
        targetType: 'personal_access_token',
        outcome: 'success',
      });
      expect(audit[0].details).not.toContain(token);
    });

    it.each([
      ['missing name', { scopes: ['read:device'] }, /name/],
      ['empty name', { name: '', scopes: ['read:device'] }, /name/],
      ['blank name', { name: '   ', scopes: ['read:device'] }, /name must be 1 to 100 characters/],
      ['a 101-character name', { name: 'x'.repeat(101), scopes: ['read:device'] }, /name/],
      ['no scopes', { name: 'n', scopes: [] }, /scopes/],
      ['missing scopes', { name: 'n' }, /scopes/],
      ['an unknown scope (named)', { name: 'n', scopes: ['read:device', 'launch:rockets'] }, /Unknown scope: launch:rockets/],
      ['an over-maximum expiry', { name: 'n', scopes: ['read:device'], expiresInDays: 367 }, /from 1 to 366/],
      ['a zero expiry', { name: 'n', scopes: ['read:device'], expiresInDays: 0 }, /expiresInDays/],
      ['a fractional expiry', { name: 'n', scopes: ['read:device'], expiresInDays: 1.5 }, /expiresInDays/],
      ['"never expires" where configuration forbids it', { name: 'n', scopes: ['read:device'], expiresInDays: null }, /Tokens must expire/],
      ['an unexpected field', { name: 'n', scopes: ['read:device'], userId: 'someone-else' }, /userId/],
    ])('refuses %s with 400 and writes nothing', async (_label, body, message) => {
      const { cookie, user } = await signedInUser(t);
      const res = await t.http.post('/account/tokens', { cookie, json: body });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(message);
      expect(await countPatRows(t, user.id)).toBe(0);
    });

    it('refuses a scope the user does not hold, naming it (400)', async () => {
      const { cookie, user } = await signedInUser(t, { roles: ['viewer'] });
      const res = await t.http.post('/account/tokens', { cookie, json: { name: 'n', scopes: ['read:device', 'write:device'] } });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('You do not hold the scope: write:device');
      expect(await countPatRows(t, user.id)).toBe(0);
    });

    it('accepts the maximum expiry of 366 days', async () => {
      const { cookie } = await signedInUser(t);
      const pat = await createPat(t, cookie, ['read:device'], { expiresInDays: 366 });
      expect(Date.parse(pat.expiresAt!) - Date.parse(pat.createdAt)).toBe(366 * DAY_MS);
    });

    it('refuses a cross-site request with the session cookie (CSRF)', async () => {
      const { cookie, user } = await signedInUser(t);
      const res = await t.http.post('/account/tokens', {
        cookie,
        origin: 'https://evil.example',
        json: { name: 'n', scopes: ['read:device'] },
      });
      expect(res.status).toBe(403);
      expect(await countPatRows(t, user.id)).toBe(0);
    });
  });

  describe('management is cookie-session only: a token cannot mint, list or revoke tokens', () => {
    it('refuses Bearer on create, list and delete (401, nothing created or revoked)', async () => {
      const { pat, user } = await userWithPat(t, ['read:device', 'write:device']);
      const create = await t.http.post('/account/tokens', { bearer: pat.token, json: { name: 'n', scopes: ['read:device'] } });
      expect(create.status).toBe(401);
      expect(create.body.message).toBe('This endpoint does not accept the Bearer scheme');
      const list = await t.http.get('/account/tokens', { bearer: pat.token });
      expect(list.status).toBe(401);
      expect((await t.http.delete(`/account/tokens/${pat.id}`, { bearer: pat.token })).status).toBe(401);
      expect(await countPatRows(t, user.id)).toBe(1);
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    });
  });

  describe('GET /account/tokens', () => {
    it('lists the caller’s tokens with name, scopes, dates and last use, never the token or its hash', async () => {
      const { cookie, pat } = await userWithPat(t);
      const other = await userWithPat(t);
      const res = await t.http.get('/account/tokens', { cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body.items).toHaveLength(1);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items[0]).toEqual({
        id: pat.id,
        name: 'test token',
        hint: pat.hint,
        scopes: ['read:device'],
        createdAt: pat.createdAt,
        expiresAt: pat.expiresAt,
        expired: false,
        lastUsedAt: null,
        lastUsedIp: null,
      });
      expect(res.text).not.toContain(pat.token);
      expect(res.text).not.toContain(pat.token.slice(6, -4));
      expect(res.text).not.toContain(hashToken(pat.token));
      expect(res.text).not.toContain(other.pat.id);
    });

    it('answers an unauthenticated API client with 401 and sends a browser to sign in', async () => {
      const api = await t.http.get('/account/tokens', { headers: { accept: 'application/json' } });
      expect(api.status).toBe(401);
      const browser = await t.http.get('/account/tokens', { headers: HTML });
      expect(browser.status).toBe(303);
      expect(browser.headers.get('location')).toBe('/login?next=%2Faccount%2Ftokens');
    });
  });

  describe('Bearer use on /devices (RFC 6750)', () => {
    it('RFC 6750 §2.1: authenticates a PAT sent in the Authorization header as its user', async () => {
      const { cookie, pat, user } = await userWithPat(t);
      const device = await createDevice(t, cookie);
      await createDevice(t, (await signedInUser(t)).cookie);
      const res = await t.http.get('/devices', { bearer: pat.token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((d: Device) => d.id)).toEqual([device.id]);
      expect(res.body.items[0].ownerId).toBe(user.id);
    });

    it('RFC 6750 §3.1: a token without the route’s scope gets 403 insufficient_scope and changes nothing', async () => {
      const { pat, user } = await userWithPat(t, ['read:device']);
      const res = await t.http.post('/devices', { bearer: pat.token, json: { name: 'nope' } });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="insufficient_scope", .*scope="write:device"/);
      expect(await t.dataSource.getRepository(Device).countBy({ ownerId: user.id })).toBe(0);
    });

    it('an unsafe request through a PAT is audited with actor = the user and credential = the PAT', async () => {
      const { pat, user } = await userWithPat(t, ['read:device', 'write:device']);
      const res = await t.http.post('/devices', { bearer: pat.token, json: { name: 'via token' } });
      expect(res.status).toBe(201);
      expect(res.body.ownerId).toBe(user.id);
      const rows = await t.dataSource.getRepository(AuditEvent).findBy({ targetId: res.body.id });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'device.create',
        outcome: 'success',
        actorType: 'user',
        actorId: user.id,
        credentialKind: 'pat',
        credentialId: pat.id,
      });
    });

    it('RFC 6750 §3.1: an expired token gets 401 invalid_token', async () => {
      const { cookie, pat } = await userWithPat(t);
      await setPatTimes(t, pat.id, { expiresAt: new Date(Date.now() - 1000) });
      const res = await t.http.get('/devices', { bearer: pat.token });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
      // Still listed (so it can be cleaned up), marked expired.
      const list = await t.http.get('/account/tokens', { cookie });
      expect(list.body.items[0]).toMatchObject({ id: pat.id, expired: true });
    });

    it('RFC 6750 §3.1: a revoked token gets 401 invalid_token on the very next request; revocation is audited', async () => {
      const { cookie, pat, user } = await userWithPat(t);
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
      const del = await t.http.delete(`/account/tokens/${pat.id}`, { cookie });
      expect(del.status).toBe(204);
      const res = await t.http.get('/devices', { bearer: pat.token });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect((await t.http.delete(`/account/tokens/${pat.id}`, { cookie })).status).toBe(404);
      expect((await t.http.get('/account/tokens', { cookie })).body.items).toEqual([]);
      const audit = await auditRows('pat.revoke', pat.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorId: user.id, credentialKind: 'session', outcome: 'success' });
    });

    it('cannot revoke another user’s token (404) and that token keeps working', async () => {
      const alice = await signedInUser(t);
      const bob = await userWithPat(t);
      expect((await t.http.delete(`/account/tokens/${bob.pat.id}`, { cookie: alice.cookie })).status).toBe(404);
      expect((await t.http.delete('/account/tokens/not-a-uuid', { cookie: alice.cookie })).status).toBe(400);
      expect((await t.http.get('/devices', { bearer: bob.pat.token })).status).toBe(200);
    });

    it.each([
      ['malformed', () => 'ghpat_tooShort'],
      ['bad-checksum', () => flipLast(generateToken(PAT_TOKEN))],
      ['unknown (well-formed, never issued)', () => generateToken(PAT_TOKEN)],
    ])('RFC 6750 §3.1: a %s PAT gets 401 invalid_token', async (_label, make) => {
      const res = await t.http.get('/devices', { bearer: make() });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('a token loses a permission the moment its user does (effective = granted ∩ current)', async () => {
      const { pat, user } = await userWithPat(t, ['read:device', 'write:device']);
      expect((await t.http.post('/devices', { bearer: pat.token, json: { name: 'before' } })).status).toBe(201);
      await t.dataSource.getRepository(User).update({ id: user.id }, { roles: ['viewer'] });
      const res = await t.http.post('/devices', { bearer: pat.token, json: { name: 'after' } });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
    });

    it('a disabled user’s tokens all answer 401 invalid_token', async () => {
      const { cookie, pat, user } = await userWithPat(t);
      const second = await createPat(t, cookie, ['read:device', 'write:device']);
      await t.get<UsersService>(UsersService).setStatus(user.id, 'disabled');
      for (const token of [pat.token, second.token]) {
        const res = await t.http.get('/devices', { bearer: token });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('invalid_token');
      }
    });

    it('records last use (time and IP) at most about once a minute, not on every request', async () => {
      const { cookie, pat } = await userWithPat(t);
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
      const first = await findPatRow(t, pat.id);
      expect(first?.lastUsedAt).toBeInstanceOf(Date);
      expect(first?.lastUsedIp).toBe('127.0.0.1');

      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
      expect((await findPatRow(t, pat.id))?.lastUsedAt?.getTime()).toBe(first!.lastUsedAt!.getTime());

      const stale = new Date(Date.now() - 2 * 60_000);
      await setPatTimes(t, pat.id, { lastUsedAt: stale });
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
      expect((await findPatRow(t, pat.id))!.lastUsedAt!.getTime()).toBeGreaterThan(stale.getTime() + 60_000);

      const [listed] = (await t.http.get('/account/tokens', { cookie })).body.items;
      expect(listed.lastUsedIp).toBe('127.0.0.1');
      expect(listed.lastUsedAt).not.toBeNull();
    });

    it('leaves a bearer token without the PAT prefix to other strategies (here: none, so 401)', async () => {
      const res = await t.http.get('/devices', { bearer: generateToken(ACCESS_TOKEN) });
      expect(res.status).toBe(401);
      expect(res.body.message).not.toContain('personal access token');
    });
  });

  describe('the API keys page', () => {
    it('is linked from the account page and lists only the scopes the user holds, with descriptions', async () => {
      const { cookie } = await signedInUser(t, { roles: ['viewer'] });
      expect((await t.http.get('/account', { cookie })).text).toContain('href="/account/tokens"');
      const res = await t.http.get('/account/tokens', { cookie, headers: HTML });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('value="read:device"');
      expect(res.text).toContain('See your devices and their sensor readings');
      expect(res.text).not.toContain('value="write:device"');
      expect(res.text).toContain('<option value="90" selected>');
      expect(res.text).not.toContain('value="never"');
      expect(res.text).toContain('action="/account/tokens/new"');
      expect(csrfFromPage(res.text).length).toBeGreaterThan(20);
    });

    it('creates a key from the form, shows it once with a copy button and a warning, then deletes it', async () => {
      const { cookie, user } = await signedInUser(t);
      const page = await t.http.get('/account/tokens', { cookie, headers: HTML });
      const _csrf = csrfFromPage(page.text);
      const res = await t.http.post('/account/tokens/new', {
        cookie,
        form: { _csrf, name: 'form key', scopes: ['read:device', 'write:device'], expiresInDays: '30' },
      });
      // Post/Redirect/Get: the key rides to the page in the sealed flash cookie, never in the URL.
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/account/tokens');
      expect(res.text).not.toMatch(/ghpat_/);
      const shown = await followRedirect(t, res, cookie);
      expect(shown.headers.get('cache-control')).toBe('no-store');
      expect(flashMessage(shown.text)).toBe('API key “form key” added.');
      const token = revealedSecret(shown.text);
      expect(token).toMatch(tokenPattern(PAT_TOKEN));
      expect(shown.text).toContain('data-copy-target="revealed-secret"');
      expect(shown.text).toContain('It will not be shown again.');
      // The page clears the flash cookie, so a reload sends none: it shows nothing and creates nothing.
      expect(shown.setCookies.some((c) => c.includes('_flash=;'))).toBe(true);
      const reloaded = await t.http.get('/account/tokens', { cookie, headers: HTML });
      expect(reloaded.text).not.toContain(token);
      expect(await countPatRows(t, user.id)).toBe(1);
      expect((await t.http.post('/devices', { bearer: token, json: { name: 'from form key' } })).status).toBe(201);

      const [row] = await t.dataSource.getRepository(PersonalToken).findBy({ userId: user.id });
      expect(row.scopes).toEqual(['read:device', 'write:device']);
      expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(30 * DAY_MS);

      const listed = await t.http.get('/account/tokens', { cookie, headers: HTML });
      expect(listed.text).toContain('form key');
      expect(listed.text).not.toContain(token);
      expect(listed.text).toContain(`action="/account/tokens/${row.id}/delete"`);
      expect(listed.text).toMatch(/data-confirm="Delete the API key/);

      const del = await t.http.post(`/account/tokens/${row.id}/delete`, { cookie, form: { _csrf } });
      expect(del.status).toBe(303);
      expect(del.headers.get('location')).toBe('/account/tokens');
      expect(flashMessage((await followRedirect(t, del, cookie)).text)).toBe('API key deleted.');
      expect((await t.http.get('/devices', { bearer: token })).status).toBe(401);
    });

    it('re-shows the form with the reason when the input is refused, and creates nothing', async () => {
      const { cookie, user } = await signedInUser(t);
      const _csrf = csrfFromPage((await t.http.get('/account/tokens', { cookie, headers: HTML })).text);
      const res = await t.http.post('/account/tokens/new', { cookie, form: { _csrf, name: 'kept name', expiresInDays: '90' } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('role="alert">Choose at least one scope</p>');
      expect(res.text).toContain('value="kept name"');
      expect(await countPatRows(t, user.id)).toBe(0);
    });

    it('refuses a form post without the CSRF token (403)', async () => {
      const { cookie, user } = await signedInUser(t);
      const res = await t.http.post('/account/tokens/new', { cookie, form: { name: 'n', scopes: 'read:device' } });
      expect(res.status).toBe(403);
      expect(await countPatRows(t, user.id)).toBe(0);
    });
  });

  describe('storage', () => {
    it('a dump of every table contains no PAT in plaintext', async () => {
      const { cookie, pat } = await userWithPat(t, ['read:device', 'write:device']);
      const revoked = await createPat(t, cookie, ['read:device']);
      expect((await t.http.post('/devices', { bearer: pat.token, json: { name: 'dumped' } })).status).toBe(201);
      expect((await t.http.delete(`/account/tokens/${revoked.id}`, { cookie })).status).toBe(204);
      expect((await t.http.get('/devices', { bearer: revoked.token })).status).toBe(401);

      const { tables, text } = await dumpAllTables(t);
      expect(tables).toEqual(expect.arrayContaining(['personal_access_tokens', 'audit_events', 'users', 'sessions']));
      expect(text).toContain(hashToken(pat.token));
      for (const token of [pat.token, revoked.token]) {
        expect(text).not.toContain(token);
        // Nor the secret part without its prefix.
        expect(text).not.toContain(token.slice('ghpat_'.length, -4));
      }

      // On SQLite, the raw database files too (free pages and WAL included).
      const file = t.dataSource.options.type === 'better-sqlite3' ? String(t.dataSource.options.database) : undefined;
      if (file) {
        const raw = [file, `${file}-wal`]
          .filter(existsSync)
          .map((f) => readFileSync(f).toString('latin1'))
          .join('');
        expect(raw).toContain(hashToken(pat.token));
        expect(raw).not.toContain(pat.token);
        expect(raw).not.toContain(revoked.token);
      }
    });
  });
});

/** The same token with its last (checksum) character changed. */
function flipLast(token: string): string {
  const last = token.slice(-1);
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}
