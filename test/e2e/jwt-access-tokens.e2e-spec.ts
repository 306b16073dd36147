import { calculateJwkThumbprint, CompactEncrypt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { SigningKey } from '../../src/signing-keys/signing-key.entity';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { cliDatabase, runCli } from './support/cli.fixture';
import { basicAuth, createClient, TestClient } from './support/clients.fixture';
import { inspectJwt, OutsideResourceServer, setTokenSettings, startOutsideResourceServer } from './support/jwt.fixture';
import { obtainTokens, refresh, registerClient } from './support/oauth-flow.fixture';
import { startIsolatedTestApp } from './support/admin.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

const ISSUER = 'http://127.0.0.1';
const API = 'https://api.example.test';

describe('JWT access tokens (RFC 9068), JWKS and resource indicators (RFC 8707)', () => {
  let t: TestApp;
  let rs: OutsideResourceServer;
  let rsClient: TestClient;

  beforeAll(async () => {
    // Signing keys are global state: on MySQL other test files rotate keys in the shared database,
    // and key rotation here asserts which key signs next. A database of its own.
    t = await startIsolatedTestApp({ TOKEN_RATE_LIMIT_PER_IP: '100000', TOKEN_RATE_LIMIT_PER_CLIENT: '100000' });
    rs = await startOutsideResourceServer(ISSUER, `${t.baseUrl}/.well-known/jwks.json`, API);
    // The outside API is registered as a resource server (a client of its own).
    const rsOwner = await createUser(t);
    rsClient = await createClient(t, rsOwner.user, { introspectionAllowed: true });
    await setTokenSettings(t, rsClient.clientId, { resourceUri: API });
  });
  afterAll(async () => {
    await rs.close();
    await t.close();
  });

  const token = async (c: TestClient, form: Record<string, string> = {}) =>
    t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials', ...form },
      headers: { authorization: basicAuth(c.clientId, c.secret!) },
    });

  async function jwtClient(opts: { alg?: 'ES256' | 'RS256'; scopes?: string[] } = {}) {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user, { scopes: opts.scopes ?? ['read:device', 'write:device'] });
    await setTokenSettings(t, c.clientId, { accessTokenFormat: 'jwt', accessTokenAlg: opts.alg ?? 'ES256' });
    return c;
  }

  it('RFC 9068 §2: a JWT client gets an ES256 at+jwt with iss, sub, aud, exp (5 min), iat, nbf, jti, client_id, scope', async () => {
    const c = await jwtClient({ scopes: ['read:device'] });
    const res = await token(c);
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.expires_in).toBe(300);
    const { header, claims } = inspectJwt(res.body.access_token);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(claims).toEqual({
      iss: ISSUER,
      sub: c.clientId,
      aud: ISSUER,
      exp: expect.any(Number),
      iat: expect.any(Number),
      nbf: expect.any(Number),
      jti: expect.any(String),
      client_id: c.clientId,
      scope: 'read:device',
    });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('an admin switches a client to JWT and registers a resource server over the API; bad values are 400, a taken resource 409', async () => {
    const admin = await signedInUser(t, { roles: ['admin'] });
    const owner = await createUser(t);
    const c = await createClient(t, owner.user);
    const patch = (json: Record<string, unknown>, cookie = admin.cookie) =>
      t.http.patch(`/admin/clients/${c.clientId}/token-settings`, { cookie, json });
    const res = await patch({ accessTokenFormat: 'jwt', accessTokenAlg: 'RS256', resourceUri: 'https://billing.example.test' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      clientId: c.clientId,
      accessTokenFormat: 'jwt',
      accessTokenAlg: 'RS256',
      resourceUri: 'https://billing.example.test',
    });
    expect(inspectJwt((await token(c)).body.access_token).header.alg).toBe('RS256');
    expect((await patch({ accessTokenFormat: 'paseto' })).status).toBe(400);
    expect((await patch({ resourceUri: 'https://x.example.test/#frag' })).status).toBe(400);
    expect((await patch({ resourceUri: API })).status).toBe(409);
    expect((await patch({ resourceUri: null })).body.resourceUri).toBeNull();
    const nonAdmin = await signedInUser(t);
    expect((await patch({ accessTokenFormat: 'opaque' }, nonAdmin.cookie)).status).toBe(403);
  });

  it('the opaque format is unchanged for other clients', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user);
    const res = await token(c);
    expect(res.body.access_token).toMatch(/^ghat_[0-9A-Za-z]{36}$/);
    expect(res.body.expires_in).toBe(3600);
  });

  it('RFC 8707: resource=<registered API> → aud names it; the outside resource server verifies it with the published JWKS, no call back', async () => {
    const c = await jwtClient({ scopes: ['read:device'] });
    const res = await token(c, { resource: API });
    expect(res.status).toBe(200);
    expect(inspectJwt(res.body.access_token).claims.aud).toBe(API);
    const outside = await fetch(rs.url, { headers: { authorization: `Bearer ${res.body.access_token}` } });
    expect(outside.status).toBe(200);
    expect(await outside.json()).toMatchObject({ client_id: c.clientId, scope: 'read:device', aud: API });
    // RFC 9068 §4: a token for another audience is refused — by the outside API and by Gatehouse.
    const own = (await token(c)).body.access_token;
    expect((await fetch(rs.url, { headers: { authorization: `Bearer ${own}` } })).status).toBe(401);
    expect((await t.http.get('/devices', { bearer: res.body.access_token })).status).toBe(401);
  });

  it('RFC 8707 §2: an unknown resource → 400 invalid_target; a malformed one too; `audience` works as an alias', async () => {
    const c = await jwtClient();
    for (const resource of ['https://unknown.example.test', 'not a uri', `${API}#frag`]) {
      const res = await token(c, { resource });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_target');
    }
    const aliased = await token(c, { audience: API });
    expect(inspectJwt(aliased.body.access_token).claims.aud).toBe(API);
  });

  it('Gatehouse’s own guard accepts its JWTs (aud = its own API) and applies the scope: 403 insufficient_scope beyond it', async () => {
    const c = await jwtClient({ scopes: ['read:device'] });
    const jwt = (await token(c)).body.access_token;
    expect((await t.http.get('/devices', { bearer: jwt })).status).toBe(200);
    const write = await t.http.post('/devices', { bearer: jwt, json: { name: 'x' } });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('insufficient_scope');
    const me = await t.http.get('/me', { bearer: jwt });
    expect(me.body).toMatchObject({
      sub: c.clientId,
      kind: 'client',
      client_id: c.clientId,
      credential: { kind: 'oauth_access' },
      scopes: ['read:device'],
    });
  });

  it('RFC 9068 §4 / RFC 6750 §3.1: wrong typ, wrong issuer, tampered signature or expired → 401 invalid_token', async () => {
    const c = await jwtClient({ scopes: ['read:device'] });
    const good = (await token(c)).body.access_token;
    const { kid, key } = await t.get<SigningKeysService>(SigningKeysService).signingKey('ES256');
    const { claims } = inspectJwt(good);
    const forge = (typ: string, iss: string, exp = claims.exp!) =>
      new SignJWT({ ...claims, iss, exp }).setProtectedHeader({ alg: 'ES256', kid, typ }).sign(key);
    const bad = [
      await forge('JWT', ISSUER),
      await forge('at+jwt', 'https://evil.example.test'),
      await forge('at+jwt', ISSUER, Math.floor(Date.now() / 1000) - 120),
      `${good.slice(0, -4)}AAAA`,
    ];
    for (const jwt of bad) {
      const res = await t.http.get('/devices', { bearer: jwt });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    expect((await t.http.get('/devices', { bearer: await forge('at+jwt', ISSUER) })).status).toBe(200);
  });

  it('RFC 7009 / RFC 7662: a revoked JWT is refused by Gatehouse at once and introspects as active: false', async () => {
    const c = await jwtClient({ scopes: ['read:device'] });
    const jwt = (await token(c)).body.access_token;
    const introspect = () =>
      t.http.post('/oauth/introspect', { form: { token: jwt }, headers: { authorization: basicAuth(c.clientId, c.secret!) } });
    const before = await introspect();
    expect(before.body).toMatchObject({ active: true, client_id: c.clientId, scope: 'read:device', token_type: 'Bearer' });
    const revoke = await t.http.post('/oauth/revoke', {
      form: { token: jwt },
      headers: { authorization: basicAuth(c.clientId, c.secret!) },
    });
    expect(revoke.status).toBe(200);
    expect((await t.http.get('/devices', { bearer: jwt })).status).toBe(401);
    expect((await introspect()).body).toEqual({ active: false });
  });

  it('RFC 7662 + RFC 8707: the resource server introspecting a token issued for it sees aud, for opaque and JWT tokens alike', async () => {
    const owner = await createUser(t);
    const opaque = await createClient(t, owner.user);
    const jwt = await jwtClient();
    for (const c of [opaque, jwt]) {
      const issued = (await token(c, { resource: API })).body.access_token;
      const res = await t.http.post('/oauth/introspect', {
        form: { token: issued },
        headers: { authorization: basicAuth(rsClient.clientId, rsClient.secret!) },
      });
      expect(res.body).toMatchObject({ active: true, aud: API, client_id: c.clientId });
    }
    const own = (await token(opaque)).body.access_token;
    const plain = await t.http.post('/oauth/introspect', {
      form: { token: own },
      headers: { authorization: basicAuth(rsClient.clientId, rsClient.secret!) },
    });
    expect(plain.body.active).toBe(true);
    expect(plain.body).not.toHaveProperty('aud');
  });

  it('RS256 is available per client, and verifies through the outside resource server', async () => {
    const c = await jwtClient({ alg: 'RS256' });
    const jwt = (await token(c, { resource: API })).body.access_token;
    expect(inspectJwt(jwt).header.alg).toBe('RS256');
    expect((await fetch(rs.url, { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
  });

  it('GET /.well-known/jwks.json: public keys only, with kid, alg and use, cacheable; discovery names it as jwks_uri', async () => {
    const res = await t.http.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-type')).toContain('application/jwk-set+json');
    const keys = JSON.parse(res.text).keys as Record<string, unknown>[];
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k).toEqual(expect.objectContaining({ kid: expect.any(String), alg: expect.stringMatching(/^(ES256|RS256)$/), use: 'sig' }));
      expect(k).not.toHaveProperty('d');
    }
    const meta = await t.http.get('/.well-known/oauth-authorization-server');
    expect(meta.body.jwks_uri).toBe(`${ISSUER}/.well-known/jwks.json`);
  });

  it('signing keys are stored sealed: the private half is a JWE, never a plain JWK', async () => {
    await t.get<SigningKeysService>(SigningKeysService).signingKey('ES256');
    const rows = await t.dataSource.getRepository(SigningKey).find();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.privateJwkSealed.split('.')).toHaveLength(5);
      expect(row.privateJwkSealed).not.toContain('"d"');
      expect(JSON.parse(row.publicJwk)).not.toHaveProperty('d');
    }
  });

  it('a key sealed before the shared SecretSealer (raw key, no pur header) still opens and signs; new keys carry pur', async () => {
    const keys = t.get<SigningKeysService>(SigningKeysService);
    const config = t.get<AppConfig>(APP_CONFIG);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const legacySealed = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(await exportJWK(privateKey))))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json' })
      .encrypt(config.jwt.keyEncryptionKey);
    const repo = t.dataSource.getRepository(SigningKey);
    await repo.insert({
      kid,
      alg: 'ES256',
      publicJwk: JSON.stringify(publicJwk),
      privateJwkSealed: legacySealed,
      createdAt: new Date(),
      activeFrom: new Date(),
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await keys.reload();
    const c = await jwtClient();
    const jwt = (await token(c, { resource: API })).body.access_token;
    expect(inspectJwt(jwt).header.kid).toBe(kid);
    expect((await fetch(rs.url, { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
    expect((await repo.findOneByOrFail({ kid })).privateJwkSealed).toBe(legacySealed);
    const fresh = await keys.rotate('ES256', 3_600_000);
    expect(decodeProtectedHeader(fresh.privateJwkSealed)).toEqual({ alg: 'dir', enc: 'A256GCM', pur: 'signing-key' });
  });

  it('key rotation with pre-publication: the new key is published before it signs; old tokens stay valid, new ones verify', async () => {
    const keys = t.get<SigningKeysService>(SigningKeysService);
    const c = await jwtClient();
    const old = (await token(c, { resource: API })).body.access_token;
    const oldKid = inspectJwt(old).header.kid;

    const next = await keys.rotate('ES256', 3_600_000);
    const published = JSON.parse((await t.http.get('/.well-known/jwks.json')).text).keys.map((k: { kid: string }) => k.kid);
    expect(published).toEqual(expect.arrayContaining([oldKid, next.kid]));
    // Pre-published: it does not sign yet.
    expect(inspectJwt((await token(c)).body.access_token).header.kid).toBe(oldKid);

    // Its time comes (as if the hour had passed).
    // Now, not a second ago: the current key may itself be younger than a second, and the newest
    // key whose time has come signs (a past time older than the current key's would never sign).
    await t.dataSource.getRepository(SigningKey).update({ kid: next.kid }, { activeFrom: new Date() });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await keys.reload();
    const fresh = (await token(c, { resource: API })).body.access_token;
    expect(inspectJwt(fresh).header.kid).toBe(next.kid);
    for (const jwt of [old, fresh]) {
      expect((await fetch(rs.url, { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
    }
    const own = (await token(c)).body.access_token;
    expect((await t.http.get('/devices', { bearer: own })).status).toBe(200);
    // The old key stays published while tokens it signed may live.
    const after = JSON.parse((await t.http.get('/.well-known/jwks.json')).text).keys.map((k: { kid: string }) => k.kid);
    expect(after).toEqual(expect.arrayContaining([oldKid, next.kid]));
  });

  it('code flow + graceful rotation with a JWT client: the retry gets the same refresh token and the same JWT claims', async () => {
    const owner = await createUser(t);
    const client = await registerClient(t, owner.user);
    await setTokenSettings(t, client.clientId, { accessTokenFormat: 'jwt' });
    const user = await signedInUser(t);
    const first = await obtainTokens(t, user.cookie, client);
    expect(inspectJwt(first.access_token).claims.sub).toBe(user.user.id);
    const a = await refresh(t, client, first.refresh_token);
    const b = await refresh(t, client, first.refresh_token);
    expect(b.body.refresh_token).toBe(a.body.refresh_token);
    expect(inspectJwt(b.body.access_token).claims).toEqual(inspectJwt(a.body.access_token).claims);
    expect((await t.http.get('/devices', { bearer: b.body.access_token })).status).toBe(200);
  });

  it('scheduled rotation (SIGNING_KEY_ROTATION_DAYS, 30): when the newest key is that old, a successor is pre-published; the old key keeps signing until its time', async () => {
    const keys = t.get<SigningKeysService>(SigningKeysService);
    const repo = t.dataSource.getRepository(SigningKey);
    const monthAgo = new Date(Date.now() - 31 * 86_400_000);
    await repo.createQueryBuilder().update().set({ activeFrom: monthAgo }).where('alg = :alg', { alg: 'ES256' }).execute();
    await keys.reload();
    const before = (await repo.findBy({ alg: 'ES256' })).map((k) => k.kid);
    const { kid } = await keys.signingKey('ES256');
    expect(before).toContain(kid);
    const added = (await repo.findBy({ alg: 'ES256' })).filter((k) => !before.includes(k.kid));
    expect(added).toHaveLength(1);
    expect(added[0].activeFrom.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    const published = JSON.parse((await t.http.get('/.well-known/jwks.json')).text).keys.map((k: { kid: string }) => k.kid);
    expect(published).toEqual(expect.arrayContaining([kid, added[0].kid]));
  });
});

describe("key:rotate (operators' CLI)", () => {
  const db = cliDatabase('key-rotate');
  const encryption = { SIGNING_KEYS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64url') };
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url, ...encryption });
  });
  afterAll(async () => {
    await t.close();
    db.dispose();
  });

  it('adds a key that the running server publishes and, once active, signs with', async () => {
    const owner = await createUser(t);
    const c = await createClient(t, owner.user);
    await setTokenSettings(t, c.clientId, { accessTokenFormat: 'jwt' });
    const mint = async () =>
      (
        await t.http.post('/oauth/token', {
          form: { grant_type: 'client_credentials' },
          headers: { authorization: basicAuth(c.clientId, c.secret!) },
        })
      ).body.access_token;
    const oldKid = inspectJwt(await mint()).header.kid;

    const res = await runCli(db.url, ['key:rotate', '--prepublish-seconds', '0'], encryption);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const kid = /signing key (\S+):/.exec(res.stdout)?.[1];
    expect(kid).toBeDefined();
    expect(kid).not.toBe(oldKid);

    await t.get<SigningKeysService>(SigningKeysService).reload();
    const published = JSON.parse((await t.http.get('/.well-known/jwks.json')).text).keys.map((k: { kid: string }) => k.kid);
    expect(published).toEqual(expect.arrayContaining([oldKid, kid]));
    expect(inspectJwt(await mint()).header.kid).toBe(kid);
  }, 120_000);
});
