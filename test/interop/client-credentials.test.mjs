// Interop: openid-client v6 (ESM-only, so outside Jest) as a real third-party client against the
// real app: RFC 8414 discovery, client_credentials (RFC 6749 §4.4), RFC 7662 introspection and
// RFC 7009 revocation. Run with `npm run test:interop` (SQLite, or DATABASE_URL=mysql://...).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';

const require = createRequire(import.meta.url);
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
require('reflect-metadata');

/** A free port picked up front, so PUBLIC_URL (the issuer) equals the URL the client fetches. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let app;
let issuer;
let sqliteFile;
let owner;
let registered;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const mysql = process.env.DATABASE_URL?.startsWith('mysql://');
  sqliteFile = mysql ? undefined : join(tmpdir(), `gatehouse-interop-${randomUUID()}.sqlite`);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PASSWORD_SCRYPT_LOG_N: '12',
    PUBLIC_URL: issuer,
    ...(sqliteFile ? { DATABASE_URL: `sqlite:${sqliteFile}` } : {}),
  });
  const { createApp } = require('../../src/app.factory');
  const { UsersService } = require('../../src/users/users.service');
  const { ClientsService } = require('../../src/clients/clients.service');
  app = await createApp();
  await app.listen(port, '127.0.0.1');
  owner = await app.get(UsersService).create({
    email: `interop-${randomUUID().slice(0, 8)}@example.test`,
    displayName: 'Interop',
    password: 'correct horse battery staple',
    roles: ['user'],
  });
  registered = await app
    .get(ClientsService)
    .register(owner, { name: 'openid-client', type: 'confidential', scopes: ['read:device', 'write:device'] });
});

after(async () => {
  await app?.close();
  if (sqliteFile) for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) rmSync(f, { force: true });
});

async function configure(auth) {
  return client.discovery(new URL(issuer), registered.client.clientId, registered.secret, auth, {
    execute: [client.allowInsecureRequests],
    algorithm: 'oauth2',
  });
}

test('RFC 8414: openid-client discovers the server metadata', async () => {
  const config = await configure();
  const meta = config.serverMetadata();
  assert.equal(meta.issuer, issuer);
  assert.equal(meta.token_endpoint, `${issuer}/oauth/token`);
  assert.ok(meta.grant_types_supported.includes('client_credentials'));
  assert.ok(meta.scopes_supported.includes('read:device'));
});

for (const [name, auth] of [
  ['client_secret_basic', client.ClientSecretBasic(undefined)],
  ['client_secret_post', client.ClientSecretPost(undefined)],
]) {
  test(`RFC 6749 §4.4 + RFC 7662 + RFC 7009 with ${name}: token, introspect active, use, revoke, introspect inactive`, async () => {
    const config = await configure(auth);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read:device' });
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.scope, 'read:device');
    assert.equal(tokens.expiresIn() > 3500, true);
    assert.equal(tokens.refresh_token, undefined);

    const active = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(active.active, true);
    assert.equal(active.client_id, registered.client.clientId);
    assert.equal(active.scope, 'read:device');
    assert.equal(active.iss, issuer);

    const res = await client.fetchProtectedResource(config, tokens.access_token, new URL(`${issuer}/devices`), 'GET');
    assert.equal(res.status, 200);

    await client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    const inactive = await client.tokenIntrospection(config, tokens.access_token);
    assert.deepEqual({ ...inactive }, { active: false });
    const after = await fetch(`${issuer}/devices`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(after.status, 401);
  });
}

test('RFC 6749 §5.2: openid-client surfaces invalid_scope as a ResponseBodyError', async () => {
  const config = await configure();
  await assert.rejects(client.clientCredentialsGrant(config, { scope: 'admin' }), (err) => {
    assert.equal(err.error, 'invalid_scope');
    return true;
  });
});
