// Interop: the authorization code flow as a third-party app runs it. openid-client v6 (ESM-only,
// so outside Jest) builds the authorization URL with PKCE from discovery; Debian's headless
// chromium (playwright-core) signs in and approves; a callback server in this test receives the
// code; openid-client exchanges it, calls /devices, refreshes, and a replay of the old refresh
// token revokes the family. Run with `npm run test:interop` (SQLite, or DATABASE_URL=mysql://...).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { chromium } from 'playwright-core';
import { freePort, startInteropApp } from './support/interop-app.mjs';

const PASSWORD = 'correct horse battery staple';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
let callback;
let browser;
let profile;
let user;
let registered;
let redirectUri;
/** Resolves with the URL the browser was redirected to. */
let nextCallback;

before(async () => {
  // Strict rotation (REFRESH_TOKEN_REUSE_GRACE_SECONDS=0), like test/e2e/refresh-token.e2e-spec.ts:
  // the replay below must be reuse detection (RFC 9700 §4.14.2), not a retry inside the default
  // 30 s grace window, which answers with the successor (test/e2e/refresh-grace.e2e-spec.ts).
  server = await startInteropApp({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' });
  const { UsersService } = server.load('users/users.service');
  const { ClientsService } = server.load('clients/clients.service');
  const email = `interop-${randomUUID().slice(0, 8)}@example.test`;
  user = {
    email,
    row: await server.app.get(UsersService).create({ email, displayName: 'Interop User', password: PASSWORD, roles: ['user'] }),
  };
  const owner = await server.app
    .get(UsersService)
    .create({ email: `owner-${email}`, displayName: 'Owner', password: PASSWORD, roles: ['user'] });

  // RFC 8252 §7.3: http on a loopback address is an acceptable redirect URI for native apps.
  const cbPort = await freePort();
  redirectUri = `http://127.0.0.1:${cbPort}/callback`;
  callback = createServer((req, res) => {
    const url = new URL(req.url, redirectUri);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this window.');
    // Only the redirect itself: chromium's late /favicon.ico for the previous test's callback page
    // would otherwise resolve the next flow with a URL that has no parameters (stop 29's red CI).
    if (url.pathname === '/callback') nextCallback?.(url);
  });
  await new Promise((resolve) => callback.listen(cbPort, '127.0.0.1', resolve));
  registered = await server.app.get(ClientsService).register(owner, {
    name: 'Interop Dashboard',
    type: 'public',
    redirectUris: [redirectUri],
    scopes: ['read:device', 'write:device'],
  });

  profile = mkdtempSync(join(tmpdir(), 'gatehouse-interop-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await new Promise((resolve) => (callback ? callback.close(resolve) : resolve()));
  await server?.close();
});

/** What a third-party app does first: discovery, then an authorization URL with PKCE and state. */
async function startAuthorization(scope) {
  // Public client: token endpoint authentication "none" (client_id in the body).
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
    algorithm: 'oauth2',
  });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return { config, verifier, state, url };
}

/** Signs in on the page chromium shows (the sign-in form). */
async function signIn(page) {
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('#email', user.email);
  await page.fill('#password', PASSWORD);
}

test('RFC 6749 §4.1 + RFC 7636 + RFC 9207 + RFC 9700 §4.14.2: openid-client and chromium run the whole code flow', async () => {
  const { config, verifier, state, url: authUrl } = await startAuthorization('read:device write:device');
  const meta = config.serverMetadata();
  assert.equal(meta.authorization_endpoint, `${server.issuer}/oauth/authorize`);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);

  const redirected = new Promise((resolve) => (nextCallback = resolve));
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(authUrl.href);
  // Not signed in: the sign-in page, which returns to the same authorization request.
  await signIn(page);
  await Promise.all([page.waitForURL((u) => u.pathname === '/oauth/authorize'), page.click('button[type=submit]')]);
  assert.equal(await page.textContent('[data-testid=client-name]'), 'Interop Dashboard');
  await page.click('button[value=approve]');
  const callbackUrl = await redirected;
  assert.equal(callbackUrl.searchParams.get('iss'), server.issuer);

  // openid-client checks state and iss (RFC 9207) and sends the verifier.
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: verifier, expectedState: state });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'read:device write:device');
  assert.match(tokens.refresh_token, /^ghrt_/);

  const devices = await client.fetchProtectedResource(config, tokens.access_token, new URL(`${server.issuer}/devices`), 'GET');
  assert.equal(devices.status, 200);

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  const again = await client.fetchProtectedResource(config, refreshed.access_token, new URL(`${server.issuer}/devices`), 'GET');
  assert.equal(again.status, 200);

  // RFC 9700 §4.14.2: replay of the rotated-out refresh token (no grace window) is invalid_grant
  // (RFC 6749 §5.2), and the whole family is revoked.
  await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (err) => {
    assert.equal(err.error, 'invalid_grant');
    return true;
  });
  const revoked = await fetch(`${server.issuer}/devices`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  assert.equal(revoked.status, 401);
  await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token), (err) => err.error === 'invalid_grant');
});

test('a remembered consent after signing in again: the sign-in form leads straight back to the client', async () => {
  const { config, verifier, state, url: authUrl } = await startAuthorization('read:device');
  await browser.clearCookies();
  const redirected = new Promise((resolve) => (nextCallback = resolve));
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(authUrl.href);
  await signIn(page);
  await page.click('button[type=submit]');
  // Sign-in form → 303 /oauth/authorize → 302 to the client: the CSP form-action must allow that chain.
  const callbackUrl = await Promise.race([
    redirected,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the browser never reached the callback')), 10_000)),
  ]);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: verifier, expectedState: state });
  assert.equal(tokens.scope, 'read:device');
});
