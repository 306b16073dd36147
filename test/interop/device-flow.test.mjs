// Interop: the device authorization grant (RFC 8628) as a device runs it. openid-client v6
// (ESM-only, so outside Jest) discovers the device_authorization_endpoint, starts the flow and
// polls the token endpoint (honouring interval and slow_down), while Debian's headless chromium
// (playwright-core) opens verification_uri_complete, signs in, confirms the pre-filled code and
// approves. The library receives tokens and calls /devices. Run with `npm run test:browser` or
// `node --test test/interop/device-flow.test.mjs` (SQLite, or DATABASE_URL=mysql://...).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { chromium } from 'playwright-core';
import { startInteropApp } from './support/interop-app.mjs';

const PASSWORD = 'correct horse battery staple';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
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
let browser;
let profile;
let user;
let registered;

before(async () => {
  // A 1 s polling interval keeps the test short; the library still waits it between polls.
  server = await startInteropApp({ DEVICE_CODE_INTERVAL_SECONDS: '1' });
  const { UsersService } = server.load('users/users.service');
  const { ClientsService } = server.load('clients/clients.service');
  const email = `device-${randomUUID().slice(0, 8)}@example.test`;
  user = {
    email,
    row: await server.app.get(UsersService).create({ email, displayName: 'Device Owner', password: PASSWORD, roles: ['user'] }),
  };
  const owner = await server.app
    .get(UsersService)
    .create({ email: `owner-${email}`, displayName: 'Owner', password: PASSWORD, roles: ['user'] });
  // Most devices are public clients: no redirect URI, no secret.
  registered = await server.app.get(ClientsService).register(owner, {
    name: 'Radon sensor',
    type: 'public',
    grantTypes: [DEVICE_CODE, 'refresh_token'],
    scopes: ['read:device', 'write:device'],
  });

  profile = mkdtempSync(join(tmpdir(), 'gatehouse-interop-device-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.close();
});

/** The person's side: open the link on "another screen", sign in, confirm the code, approve. */
async function approveInBrowser(verificationUriComplete, expectedCode) {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(verificationUriComplete);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('#email', user.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/device'), page.click('form[action="/auth/login"] button[type=submit]')]);
  // RFC 8628 §5.4: pre-filled, but the person confirms it.
  assert.equal(await page.inputValue('#user-code'), expectedCode);
  await Promise.all([page.waitForSelector('[data-testid=user-code]'), page.click('form[action="/device"] button[type=submit]')]);
  assert.equal(await page.textContent('[data-testid=user-code]'), expectedCode);
  assert.equal(await page.textContent('[data-testid=client-name]'), 'Radon sensor');
  await Promise.all([page.waitForSelector('[data-testid=device-outcome]'), page.click('button[value=approve]')]);
  assert.equal(await page.getAttribute('[data-testid=device-outcome]', 'data-outcome'), 'approved');
}

test('RFC 8628 §3.1–3.5: openid-client starts the flow and polls while chromium approves; the tokens work and refresh', async () => {
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
    algorithm: 'oauth2',
  });
  const meta = config.serverMetadata();
  assert.equal(meta.device_authorization_endpoint, `${server.issuer}/oauth/device_authorization`);
  assert.ok(meta.grant_types_supported.includes(DEVICE_CODE));

  const started = await client.initiateDeviceAuthorization(config, { scope: 'read:device write:device' });
  assert.match(started.device_code, /^ghdc_[0-9A-Za-z]{36}$/);
  assert.match(started.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.equal(started.verification_uri, `${server.issuer}/device`);
  assert.equal(started.interval, 1);

  // The device polls (authorization_pending, possibly slow_down) while the person approves.
  const polling = client.pollDeviceAuthorizationGrant(config, started);
  polling.catch(() => {}); // awaited below; not an unhandled rejection if the browser part fails first
  await approveInBrowser(started.verification_uri_complete, started.user_code);
  const tokens = await polling;
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'read:device write:device');
  assert.match(tokens.refresh_token, /^ghrt_/);

  const devices = await client.fetchProtectedResource(config, tokens.access_token, new URL(`${server.issuer}/devices`), 'GET');
  assert.equal(devices.status, 200);

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  const again = await client.fetchProtectedResource(config, refreshed.access_token, new URL(`${server.issuer}/devices`), 'GET');
  assert.equal(again.status, 200);

  // The device code was single-use.
  await assert.rejects(client.pollDeviceAuthorizationGrant(config, started), (err) => err.error === 'invalid_grant');
});

test('RFC 8628 §3.5: the person denies; the library stops polling with access_denied', async () => {
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
    algorithm: 'oauth2',
  });
  const started = await client.initiateDeviceAuthorization(config, { scope: 'read:device' });
  const polling = client.pollDeviceAuthorizationGrant(config, started);
  polling.catch(() => {});
  const page = browser.pages()[0] ?? (await browser.newPage());
  // Still signed in from the first test: straight to the code form.
  await page.goto(started.verification_uri_complete);
  await Promise.all([page.waitForSelector('[data-testid=user-code]'), page.click('form[action="/device"] button[type=submit]')]);
  await Promise.all([page.waitForSelector('[data-testid=device-outcome]'), page.click('button[value=deny]')]);
  await assert.rejects(polling, (err) => err.error === 'access_denied');
});
