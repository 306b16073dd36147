import { AuditEvent } from '../../src/audit/audit-event.entity';
import { generateToken } from '../../src/auth/token-format';
import { User } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import { basicAuth, createClient, TestClient } from './support/clients.fixture';
import { createPat, findPatRow, setPatTimes, userWithPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';

/** Personal access tokens at POST /oauth/introspect (RFC 7662) and POST /oauth/revoke (RFC 7009). */
describe('PATs at the introspection and revocation endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://auth.example.test', PAT_ALLOW_NEVER_EXPIRES: 'true' });
  });
  afterAll(() => t.close());

  const newClient = async (opts: { introspectionAllowed?: boolean } = {}): Promise<TestClient> => {
    const { user } = await createUser(t);
    return createClient(t, user, { scopes: ['read:device'], ...opts });
  };
  const introspect = (c: TestClient, token: string) =>
    t.http.post('/oauth/introspect', { form: { token }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });

  describe('POST /oauth/introspect (RFC 7662)', () => {
    it('RFC 7662 §2.2: a live PAT, to a resource server: active, scope, sub, exp, iat, token_type, iss, and no client_id', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { pat, user } = await userWithPat(t, ['read:device', 'write:device']);
      const res = await introspect(rs, pat.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({
        active: true,
        scope: 'read:device write:device',
        sub: user.id,
        exp: Math.floor(new Date(pat.expiresAt!).getTime() / 1000),
        iat: Math.floor(new Date(pat.createdAt).getTime() / 1000),
        token_type: 'personal_access_token',
        iss: 'https://auth.example.test',
      });
    });

    it('RFC 7662 §2.2: introspection does not count as a use of the PAT (last_used_at stays unset)', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { pat } = await userWithPat(t);
      expect((await introspect(rs, pat.token)).body.active).toBe(true);
      expect((await findPatRow(t, pat.id))?.lastUsedAt).toBeNull();
    });

    it('RFC 7662 §2.2: scope is the effective scope: granted ∩ what the user holds now', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { pat, user } = await userWithPat(t, ['read:device', 'write:device']);
      await t.dataSource.getRepository(User).update({ id: user.id }, { roles: ['viewer'] });
      const res = await introspect(rs, pat.token);
      expect(res.body).toMatchObject({ active: true, scope: 'read:device', sub: user.id });
    });

    it('RFC 7662 §2.2: a PAT that never expires has no exp', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { cookie } = await userWithPat(t);
      const pat = await createPat(t, cookie, ['read:device'], { expiresInDays: null });
      const res = await introspect(rs, pat.token);
      expect(res.body.active).toBe(true);
      expect(res.body).not.toHaveProperty('exp');
      expect(res.body.iat).toEqual(expect.any(Number));
    });

    it('RFC 7662 §2.2: a revoked PAT is { active: false } and nothing else', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { cookie, pat } = await userWithPat(t);
      expect((await t.http.delete(`/account/tokens/${pat.id}`, { cookie })).status).toBe(204);
      const res = await introspect(rs, pat.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ active: false });
    });

    it('RFC 7662 §2.2: an expired PAT is { active: false } and nothing else', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { pat } = await userWithPat(t);
      await setPatTimes(t, pat.id, { expiresAt: new Date(Date.now() - 1000) });
      expect((await introspect(rs, pat.token)).body).toEqual({ active: false });
    });

    it('RFC 7662 §2.2: a disabled user’s PAT is { active: false } and nothing else', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const { pat, user } = await userWithPat(t);
      await t.get<UsersService>(UsersService).setStatus(user.id, 'disabled');
      expect((await introspect(rs, pat.token)).body).toEqual({ active: false });
    });

    it('RFC 7662 §2.2: unknown, bad-checksum and malformed PATs are { active: false }', async () => {
      const rs = await newClient({ introspectionAllowed: true });
      const unknown = generateToken(PAT_TOKEN);
      const flipped = unknown.slice(0, -1) + (unknown.endsWith('A') ? 'B' : 'A');
      for (const token of [unknown, flipped, 'ghpat_tooShort']) {
        expect((await introspect(rs, token)).body).toEqual({ active: false });
      }
    });

    it('RFC 7662 §2.2, §4: a PAT belongs to no client, so a client not allowed to introspect any token sees it as inactive', async () => {
      const ordinary = await newClient();
      const { pat } = await userWithPat(t);
      const res = await introspect(ordinary, pat.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ active: false });
    });
  });

  describe('POST /oauth/revoke (RFC 7009)', () => {
    it('RFC 7009 §2.2: a client revoking a PAT gets 200 and the PAT keeps working (no client owns a PAT)', async () => {
      const { pat } = await userWithPat(t);
      const callers = [await newClient(), await newClient({ introspectionAllowed: true })];
      for (const c of callers) {
        for (const hint of [undefined, 'access_token', 'personal_access_token']) {
          const form = { token: pat.token, ...(hint ? { token_type_hint: hint } : {}) };
          const res = await t.http.post('/oauth/revoke', { form, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
          expect(res.status).toBe(200);
        }
      }
      expect((await t.http.get('/devices', { bearer: pat.token })).status).toBe(200);
      expect((await findPatRow(t, pat.id))?.revokedAt).toBeNull();
      const rs = await newClient({ introspectionAllowed: true });
      expect((await introspect(rs, pat.token)).body.active).toBe(true);
      for (const c of callers) {
        expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'token.revoke', actorId: c.clientId })).toBe(0);
      }
    });
  });
});
