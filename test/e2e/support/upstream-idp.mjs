// An upstream OpenID Connect IdP for the SSO tests: node-oidc-provider (certified OP) with its
// in-memory adapter, started as a child process (it is ESM and Koa-based; the Jest runtime is
// CommonJS). The parent controls it over IPC:
//   { account: { sub, claims } }   adds or replaces an account (claims: email, email_verified, name…)
//   { login: { sub, amr? } }      the account the next interactions sign in (no login form)
//   { deny: true|false }           interactions end with error=access_denied
//   { fault: { path, kind } }      kind 500 | slow | garbage | other-issuer | other-keys | wrong-nonce on a path;
//                                  on /token also id-token-issuer (the id_token re-signed with another `iss`)
//                                  and id-token-key (re-signed by a key the IdP never published, `kid` stranger-1)
//   { park: true|false }           the redirect back to Gatehouse becomes a page holding the link (#callback),
//                                  so a browser test can tamper with or replay the callback
//   { clear: true }                no faults
// It answers every message with { ok: true } once applied.
import Provider from 'oidc-provider';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
// Gatehouse's callbacks: /auth/sso/<any slug>/callback under this origin (the tests make slugs per test).
const rpOrigin = process.env.RP_ORIGIN;
const accounts = new Map();
let login = { sub: 'alice' };
let deny = false;
let faults = [];
let park = false;

const signing = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: 'upstream-1', alg: 'RS256', use: 'sig' };
const stranger = await generateKeyPair('RS256', { extractable: true });
const strangerJwk = { ...(await exportJWK(stranger.publicKey)), kid: 'stranger-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [`${rpOrigin}/auth/sso/registered/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingJwk] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], amr: null },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  // amr is in id_tokens only when asked for (Core §5.5); Entra ID and Okta send it by default, so
  // this IdP asks on the client's behalf (below).
  features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
  async findAccount(_ctx, sub) {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
  // Consent is implied: every requested OIDC scope is granted (the tests are about the RP).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});

// Any slug of this test's app is registered (the tests create connections with fresh slugs).
provider.Client.prototype.redirectUriAllowed = function (uri) {
  return typeof uri === 'string' && new RegExp(`^${rpOrigin.replace(/[.]/g, '\\.')}/auth/sso/[a-z0-9-]+/callback$`).test(uri);
};

provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && !ctx.query.claims && ctx.query.client_id) {
    const url = new URL(ctx.url, issuer);
    url.searchParams.set('claims', JSON.stringify({ id_token: { amr: null } }));
    ctx.url = `${url.pathname}${url.search}`;
  }
  const fault = faults.find((f) => ctx.path === f.path);
  if (fault?.kind === 'wrong-nonce' && ctx.path === '/auth') {
    const url = new URL(ctx.url, issuer);
    url.searchParams.set('nonce', 'not-the-nonce-the-client-sent');
    ctx.url = `${url.pathname}${url.search}`;
    return next();
  }
  if (fault?.kind === '500') {
    ctx.status = 500;
    ctx.body = 'Internal Server Error';
    return;
  }
  if (fault?.kind === 'slow') {
    await new Promise((r) => setTimeout(r, 5000));
    return next();
  }
  if (fault?.kind === 'garbage') {
    ctx.status = 200;
    ctx.type = 'text/html';
    ctx.body = '<html>this is not a discovery document</html>';
    return;
  }
  if (fault?.kind === 'other-keys' && ctx.path === '/jwks') {
    ctx.body = { keys: [strangerJwk] };
    ctx.type = 'application/jwk-set+json';
    return;
  }
  if (ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const result = deny
      ? { error: 'access_denied', error_description: 'The user cancelled' }
      : { login: { accountId: login.sub, ...(login.amr ? { amr: login.amr } : {}) } };
    void details;
    await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.respond = false;
    return;
  }
  await next();
  const location = ctx.response.get('location');
  if (park && ctx.status >= 300 && ctx.status < 400 && location.startsWith(`${rpOrigin}/auth/sso/`)) {
    ctx.remove('location');
    ctx.status = 200;
    ctx.type = 'text/html';
    ctx.body = `<!doctype html><a id="callback" href="${location.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">Back to Gatehouse</a>`;
  }
  if (fault?.kind === 'other-issuer' && ctx.path === '/.well-known/openid-configuration') {
    ctx.body = { ...ctx.body, issuer: 'https://someone-else.example' };
  }
  // A real id_token, altered after the fact: what a token substituted from elsewhere looks like.
  if ((fault?.kind === 'id-token-issuer' || fault?.kind === 'id-token-key') && ctx.path === '/token' && ctx.body?.id_token) {
    const claims = decodeJwt(ctx.body.id_token);
    const foreignKey = fault.kind === 'id-token-key';
    const id_token = await new SignJWT({ ...claims, ...(foreignKey ? {} : { iss: 'https://someone-else.example' }) })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: foreignKey ? strangerJwk.kid : signingJwk.kid })
      .sign(foreignKey ? stranger.privateKey : signing.privateKey);
    ctx.body = { ...ctx.body, id_token };
  }
});

process.on('message', (m) => {
  if (m.account) accounts.set(m.account.sub, m.account.claims);
  if (m.login) login = m.login;
  if (m.deny !== undefined) deny = m.deny;
  if (m.park !== undefined) park = m.park;
  if (m.fault) faults = [...faults.filter((f) => f.path !== m.fault.path), m.fault];
  if (m.clear) faults = [];
  process.send?.({ ok: true, id: m.id });
});

provider.listen(port, '127.0.0.1', () => process.send?.({ ready: true }));
