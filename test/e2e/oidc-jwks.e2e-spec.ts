import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { codeRequest, exchangeCode, obtainCode, registerClient } from './support/oauth-flow.fixture';
import { startIsolatedTestApp } from './support/admin.fixture';
import { signedInUser } from './support/users.fixture';

const OIDC_SCOPES = ['openid', 'profile', 'email', 'read:device'];

// Its own app on a database of its own (on MariaDB/PostgreSQL other suites share the server's
// database and sign or rotate keys meanwhile): the JWKS is looked at before anything was signed.
describe('OpenID Connect id_tokens and the JWKS', () => {
  describe('a resource server verifying id_tokens with jose createRemoteJWKSet (RFC 7517, Core §10.1.1)', () => {
    it('the JWKS of a fresh server lists the signing key before anything was signed, and a rotated key verifies too', async () => {
      const fresh = await startIsolatedTestApp();
      try {
        const freshIssuer = fresh.get<AppConfig>(APP_CONFIG).issuer;
        // Before any token: the JWKS already has the key that will sign (pre-publication).
        const before = (await fresh.http.get('/.well-known/jwks.json')).body.keys as { kid: string; alg: string }[];
        expect(before.some((k) => k.alg === 'ES256')).toBe(true);
        // The key that signs now is among them.
        const { kid: signingKid } = await fresh.get<SigningKeysService>(SigningKeysService).signingKey('ES256');
        expect(before.map((k) => k.kid)).toContain(signingKid);
        const remote = createRemoteJWKSet(new URL('/.well-known/jwks.json', fresh.baseUrl), { cooldownDuration: 0 });
        const owner = await signedInUser(fresh);
        const rp = await registerClient(fresh, owner.user, { scopes: OIDC_SCOPES });
        const u = await signedInUser(fresh);
        const issue = async () => {
          const { params, pkce } = codeRequest(rp, { scope: 'openid' });
          const code = await obtainCode(fresh, u.cookie, params);
          return (await exchangeCode(fresh, rp, code, pkce.verifier)).body.id_token as string;
        };
        const first = await issue();
        await jwtVerify(first, remote, { issuer: freshIssuer, audience: rp.clientId });
        // Rotation with no pre-publication delay: the new key signs at once; the remote set refetches on the unknown kid.
        await fresh.get<SigningKeysService>(SigningKeysService).rotate('ES256', 0);
        const second = await issue();
        expect(decodeProtectedHeader(second).kid).not.toBe(decodeProtectedHeader(first).kid);
        await jwtVerify(second, remote, { issuer: freshIssuer, audience: rp.clientId });
        // The old key stays published: the first id_token still verifies.
        await jwtVerify(first, remote, { issuer: freshIssuer, audience: rp.clientId });
      } finally {
        await fresh.close();
      }
    });
  });
});
