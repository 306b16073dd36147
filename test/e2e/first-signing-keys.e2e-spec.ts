import { SigningKey } from '../../src/signing-keys/signing-key.entity';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { User } from '../../src/users/user.entity';
import { startIsolatedTestApp } from './support/admin.fixture';
import { basicAuth, createClient } from './support/clients.fixture';
import { inspectJwt, setTokenSettings } from './support/jwt.fixture';
import type { TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

/**
 * Issue 22 §6: on a fresh server the JWKS already lists a key of every algorithm before any token
 * was signed (a resource server that fetched it at start and caches it for 300 s knows the key of
 * the first token), and §4: the startup work is create-if-absent (a second start on the same
 * database adds no key and no admin). Multi-process races: test/scale/startup-race.scale-spec.ts.
 */
describe('first signing keys and bootstrap admin at startup', () => {
  let t: TestApp;
  const admin = { BOOTSTRAP_ADMIN_EMAIL: 'first-admin@example.test', BOOTSTRAP_ADMIN_PASSWORD: 'a long bootstrap password' };

  beforeAll(async () => {
    t = await startIsolatedTestApp({ ...admin, TOKEN_RATE_LIMIT_PER_IP: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('RFC 7517 §5: GET /.well-known/jwks.json on a fresh server, before any token, lists one ES256 and one RS256 key; the first JWT is signed by a key that was already listed', async () => {
    const before = JSON.parse((await t.http.get('/.well-known/jwks.json')).text).keys as { kid: string; alg: string }[];
    expect(before.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);

    const owner = await createUser(t);
    for (const alg of ['ES256', 'RS256'] as const) {
      const c = await createClient(t, owner.user, { scopes: ['read:device'] });
      await setTokenSettings(t, c.clientId, { accessTokenFormat: 'jwt', accessTokenAlg: alg });
      const res = await t.http.post('/oauth/token', {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basicAuth(c.clientId, c.secret!) },
      });
      expect(res.status).toBe(200);
      expect(before.map((k) => k.kid)).toContain(inspectJwt(res.body.access_token).header.kid);
    }
    // Signing created no other key.
    expect(await t.dataSource.getRepository(SigningKey).count()).toBe(2);
  });

  it('each first key holds its algorithm’s unique genesis slot; running the startup step again creates nothing', async () => {
    const rows = await t.dataSource.getRepository(SigningKey).find();
    expect(rows.map((r) => r.genesis).sort()).toEqual(['ES256', 'RS256']);
    expect(await t.get<SigningKeysService>(SigningKeysService).ensureFirstKeys()).toEqual([]);
    expect(await t.dataSource.getRepository(SigningKey).count()).toBe(2);
  });

  it('a second claim of a genesis slot is ignored by the database, not an error (insert-or-ignore)', async () => {
    const repo = t.dataSource.getRepository(SigningKey);
    const existing = (await repo.findOneBy({ genesis: 'ES256' }))!;
    await repo
      .createQueryBuilder()
      .insert()
      .into(SigningKey)
      .values({ ...existing, kid: 'a-racing-instance-key' })
      .orIgnore()
      .execute();
    expect(await repo.findOneBy({ kid: 'a-racing-instance-key' })).toBeNull();
  });

  it('BOOTSTRAP_ADMIN_EMAIL made exactly one admin', async () => {
    const admins = await t.dataSource.getRepository(User).findBy({ email: admin.BOOTSTRAP_ADMIN_EMAIL });
    expect(admins).toHaveLength(1);
    expect(admins[0].roles).toContain('admin');
  });
});
