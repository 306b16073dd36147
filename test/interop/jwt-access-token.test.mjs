// Interop (issue 12): a third-party client and a third-party resource server against the real
// app. openid-client v6 obtains a JWT access token with an RFC 8707 `resource`; oauth4webapi's
// validateJwtAccessToken (the RFC 9068 §4 resource-server checks: typ at+jwt, iss, aud, exp,
// required claims, signature via the discovered jwks_uri) accepts it with no call back.
// Run with `npm run test:interop` (SQLite, or DATABASE_URL=mysql://...).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { startInteropApp } from './support/interop-app.mjs';

const API = 'https://orders.example.test';

let server;
let registered;

before(async () => {
  server = await startInteropApp();
  const users = server.app.get(server.load('users/users.service').UsersService);
  const clients = server.app.get(server.load('clients/clients.service').ClientsService);
  const owner = await users.create({
    email: `interop-jwt-${randomUUID().slice(0, 8)}@example.test`,
    displayName: 'Interop',
    password: 'correct horse battery staple',
    roles: ['user'],
  });
  registered = await clients.register(owner, { name: 'jwt client', type: 'confidential', scopes: ['read:device'] });
  await clients.setTokenSettings(registered.client, { accessTokenFormat: 'jwt' });
  const rs = await clients.register(owner, { name: 'orders API', type: 'confidential', scopes: [] });
  await clients.setTokenSettings(rs.client, { resourceUri: API });
});

after(async () => {
  await server?.close();
});

test('RFC 9068 + RFC 8707: openid-client gets a JWT for a resource; oauth4webapi validates it as that resource server', async () => {
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, registered.secret, undefined, {
    execute: [client.allowInsecureRequests],
    algorithm: 'oauth2',
  });
  const as = config.serverMetadata();
  assert.equal(as.jwks_uri, `${server.issuer}/.well-known/jwks.json`);

  const tokens = await client.clientCredentialsGrant(config, { scope: 'read:device', resource: API });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');

  const request = new Request(`${API}/orders`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const claims = await oauth.validateJwtAccessToken(as, request, API, { [oauth.allowInsecureRequests]: true });
  assert.equal(claims.iss, server.issuer);
  assert.equal(claims.aud, API);
  assert.equal(claims.client_id, registered.client.clientId);
  assert.equal(claims.sub, registered.client.clientId);
  assert.equal(claims.scope, 'read:device');

  // The same token is not for another audience (RFC 9068 §4: aud must match).
  await assert.rejects(oauth.validateJwtAccessToken(as, request, 'https://other.example.test', { [oauth.allowInsecureRequests]: true }));
});

test('RFC 8707 §2: openid-client surfaces an unknown resource as invalid_target', async () => {
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, registered.secret, undefined, {
    execute: [client.allowInsecureRequests],
    algorithm: 'oauth2',
  });
  await assert.rejects(client.clientCredentialsGrant(config, { resource: 'https://unknown.example.test' }), (err) => {
    assert.equal(err.error, 'invalid_target');
    return true;
  });
});
