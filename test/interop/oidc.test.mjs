// Interop: Gatehouse as an OpenID Provider for two relying-party stacks, openid-client 6 and
// oauth4webapi, in Debian's headless chromium through the real sign-in and consent pages.
// openid-client runs discovery (OpenID Connect Discovery 1.0 §4), the code flow with PKCE and a
// nonce, validates the id_token (Core §3.1.3.7: signature by a JWKS key, iss, aud, azp, exp,
// nonce), calls UserInfo (Core §5.3) and refreshes (Core §12.2). oauth4webapi repeats the flow
// with its own validation. Run with `npm run test:interop` (SQLite, or DATABASE_URL=mysql://...).
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
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
const SCOPE = 'openid profile email read:device';

let server;
let callback;
let browser;
let profile;
let user;
let registered;
let redirectUri;
let nextCallback;
let nextSignedOut;
let nextLogoutToken;

before(async () => {
  server = await startInteropApp();
  const { UsersService } = server.load('users/users.service');
  const { ClientsService } = server.load('clients/clients.service');
  const email = `oidc-${randomUUID().slice(0, 8)}@example.test`;
  const users = server.app.get(UsersService);
  user = { email, row: await users.create({ email, displayName: 'Olivia Interop', password: PASSWORD, roles: ['user'] }) };
  const owner = await users.create({ email: `owner-${email}`, displayName: 'Owner', password: PASSWORD, roles: ['user'] });
  const cbPort = await freePort();
  redirectUri = `http://127.0.0.1:${cbPort}/callback`;
  callback = createServer((req, res) => {
    const url = new URL(req.url, redirectUri);
    // Back-Channel Logout §2.5: Gatehouse POSTs the logout token here, out of any browser request.
    if (req.method === 'POST' && url.pathname === '/backchannel') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'cache-control': 'no-store' }).end();
        nextLogoutToken?.(new URLSearchParams(body).get('logout_token'));
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(url.pathname === '/signed-out' ? 'Signed out.' : 'Signed in.');
    // Only the redirect itself: chromium's late /favicon.ico for the previous page would otherwise
    // resolve the next flow with a URL that has no parameters.
    if (url.pathname === '/callback') nextCallback?.(url);
    if (url.pathname === '/signed-out') nextSignedOut?.(url);
  });
  await new Promise((resolve) => callback.listen(cbPort, '127.0.0.1', resolve));
  registered = await server.app.get(ClientsService).register(owner, {
    name: 'Sign-in Demo',
    type: 'public',
    redirectUris: [redirectUri],
    scopes: ['openid', 'profile', 'email', 'read:device'],
  });
  // RP-Initiated Logout §3.1 and Back-Channel Logout §2.2 registration, on the callback server.
  const { OidcClientSettingsService } = server.load('oidc/oidc-client-settings.service');
  await server.app.get(OidcClientSettingsService).update(registered.client.clientId, {
    postLogoutRedirectUris: [`http://127.0.0.1:${cbPort}/signed-out`],
    backchannelLogoutUri: `http://127.0.0.1:${cbPort}/backchannel`,
  });
  profile = mkdtempSync(join(tmpdir(), 'gatehouse-oidc-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await new Promise((resolve) => (callback ? callback.close(resolve) : resolve()));
  await server?.close();
});

/** Opens `url` in chromium, signs in and approves when asked; resolves with the callback URL. */
async function runInBrowser(url, { expectConsent }) {
  const redirected = new Promise((resolve) => (nextCallback = resolve));
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(url);
  if (new URL(page.url()).pathname === '/login') {
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('button[type=submit]')]);
  }
  if (expectConsent) {
    // The consent page names the identity claims the app will receive, as well as API scopes.
    const text = await page.textContent('main');
    assert.match(text, /See your email address/);
    assert.match(text, /See your name and username/);
    assert.match(text, /Sign you in/);
    await page.click('button[value=approve]');
  }
  return Promise.race([redirected, new Promise((_, reject) => setTimeout(() => reject(new Error('no callback')), 10_000))]);
}

test('OpenID Connect Core §3.1 with openid-client 6: discovery, code + PKCE + nonce, id_token checks, UserInfo, refresh', async () => {
  // Discovery 1.0 §4 (algorithm 'oidc' reads /.well-known/openid-configuration).
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  const meta = config.serverMetadata();
  assert.equal(meta.userinfo_endpoint, `${server.issuer}/oauth/userinfo`);
  assert.deepEqual(meta.id_token_signing_alg_values_supported, ['ES256', 'RS256']);

  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callbackUrl = await runInBrowser(url.href, { expectConsent: true });

  // openid-client validates the id_token (signature by a JWKS key, iss, aud, azp, exp, iat, nonce).
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, server.issuer);
  assert.equal(claims.sub, user.row.id);
  assert.equal(claims.aud, registered.client.clientId);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.email, user.email);
  assert.deepEqual(claims.amr, ['pwd']);
  // at_hash (Core §3.1.3.6), computed here independently.
  const atHash = createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url');
  assert.equal(claims.at_hash, atHash);

  // UserInfo (Core §5.3.2): openid-client checks that sub matches the id_token's.
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.name, 'Olivia Interop');
  assert.equal(info.email, user.email);

  // A wrong nonce is refused by the RP (Core §3.1.3.7 step 11): Gatehouse echoes the one sent.
  const { url: second, verifier: v2 } = await (async () => {
    const v = client.randomPKCECodeVerifier();
    return {
      verifier: v,
      url: client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(v),
        code_challenge_method: 'S256',
        nonce: 'the-nonce-sent',
      }),
    };
  })();
  const secondCallback = await runInBrowser(second.href, { expectConsent: false });
  await assert.rejects(
    client.authorizationCodeGrant(config, secondCallback, {
      pkceCodeVerifier: v2,
      expectedNonce: 'another-nonce',
      expectedState: client.skipStateCheck,
    }),
    (err) => {
      // openid-client wraps oauth4webapi's error, which names the claim that failed.
      assert.equal((err.cause?.cause ?? err.cause)?.claim, 'nonce');
      return true;
    },
  );

  // Core §12.2: a refresh returns a new id_token for the same sub.
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.id_token);
  assert.notEqual(refreshed.id_token, tokens.id_token);
  assert.equal(refreshed.claims().sub, claims.sub);
});

test('OpenID Connect Core §3.1 with oauth4webapi: its own discovery, code flow and id_token validation', async () => {
  const issuer = new URL(server.issuer);
  const opts = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...opts, algorithm: 'oidc' }));
  const rp = { client_id: registered.client.clientId };
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: rp.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: SCOPE,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
  }).toString();
  // Still signed in and already approved: straight back to the app.
  const callbackUrl = await runInBrowser(url.href, { expectConsent: false });
  const params = oauth.validateAuthResponse(as, rp, callbackUrl, oauth.expectNoState);
  const response = await oauth.authorizationCodeGrantRequest(as, rp, oauth.None(), params, redirectUri, verifier, opts);
  const result = await oauth.processAuthorizationCodeResponse(as, rp, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(result);
  assert.equal(claims.sub, user.row.id);
  assert.equal(claims.nonce, nonce);
  const info = await oauth.processUserInfoResponse(as, rp, claims.sub, await oauth.userInfoRequest(as, rp, result.access_token, opts));
  assert.equal(info.preferred_username, user.email);
});

/** Resolves with what `arm` receives, or fails after 10 s. */
function within(arm, what) {
  return Promise.race([new Promise(arm), new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${what}`)), 10_000))]);
}

test('RP-Initiated Logout 1.0 §2 with openid-client 6 (buildEndSessionUrl) in chromium, and Back-Channel Logout 1.0 §2.5 verified with jose', async () => {
  const config = await client.discovery(new URL(server.issuer), registered.client.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  const meta = config.serverMetadata();
  assert.equal(meta.end_session_endpoint, `${server.issuer}/oauth/logout`);
  assert.equal(meta.backchannel_logout_supported, true);
  // A sign-in in the current browser session: the id_token to hint with.
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
  });
  const callbackUrl = await runInBrowser(url.href, { expectConsent: false });
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: client.skipStateCheck,
  });
  const { sid, sub } = tokens.claims();
  assert.ok(sid);

  const postLogout = `${new URL(redirectUri).origin}/signed-out`;
  const state = client.randomState();
  const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogout, state });
  const signedOut = within((resolve) => (nextSignedOut = resolve), 'post-logout redirect');
  const logoutToken = within((resolve) => (nextLogoutToken = resolve), 'logout token');
  const page = browser.pages()[0];
  await page.goto(endSession.href);
  // The hint names this session: no confirmation page, straight back to the app with state (§3).
  assert.equal((await signedOut).searchParams.get('state'), state);

  // The relying party's back-channel endpoint verifies the logout token (§2.6) against the JWKS.
  const { payload, protectedHeader } = await jwtVerify(await logoutToken, createRemoteJWKSet(new URL(meta.jwks_uri)), {
    issuer: server.issuer,
    audience: registered.client.clientId,
    typ: 'logout+jwt',
  });
  assert.equal(protectedHeader.typ, 'logout+jwt');
  assert.equal(payload.sid, sid);
  assert.equal(payload.sub, sub);
  assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
  assert.equal(payload.nonce, undefined);
  assert.ok(payload.jti);

  // The Gatehouse session is over: the account page asks to sign in.
  await page.goto(`${server.issuer}/account`);
  assert.equal(new URL(page.url()).pathname, '/login');
});
