import { CredentialCache } from '../../src/auth/credential-cache';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/clients/client-types';
import { createClient, TestClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

/**
 * A client_id is an exact string. MySQL/MariaDB compare `client_id = ?` under the connection's
 * case- and trailing-space-insensitive collation, so `GHC_…` or `ghc_… ` would otherwise find the
 * real client: every variant is a new per-client rate-limit key (a bypass of the token endpoint's
 * per-client limit) and a new credential-cache entry for the same client. Variants are unknown
 * clients (RFC 6749 §5.2 invalid_client), on SQLite and on MariaDB alike.
 */
describe('client_id variants are unknown clients', () => {
  let t: TestApp;
  let client: TestClient;
  const redirectUri = 'https://app.example/cb';

  beforeAll(async () => {
    t = await startTestApp();
    const owner = await createUser(t);
    client = await createClient(t, owner.user, {
      type: 'public',
      redirectUris: [redirectUri],
      grantTypes: ['authorization_code', DEVICE_CODE_GRANT_TYPE],
    });
  });
  afterAll(() => t.close());

  const swapCase = (s: string) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  const variants = () => [swapCase(client.clientId), `${client.clientId} `, client.clientId.toUpperCase(), `${client.clientId}\u00a0`];

  const codeRequest = (clientId: string) =>
    t.http.post('/oauth/token', {
      form: {
        grant_type: 'authorization_code',
        client_id: clientId,
        code: 'not-a-code',
        redirect_uri: redirectUri,
        code_verifier: 'v'.repeat(43),
      },
    });

  it('RFC 6749 §5.2: the exact client_id authenticates (the code is then invalid_grant)', async () => {
    const res = await codeRequest(client.clientId);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('RFC 6749 §5.2: a case or trailing-space variant of a public client_id is invalid_client at the token endpoint', async () => {
    for (const variant of variants()) {
      const res = await codeRequest(variant);
      expect({ variant, status: res.status, error: res.body.error }).toEqual({ variant, status: 401, error: 'invalid_client' });
    }
  });

  it('RFC 8628 §3.1: a variant is invalid_client at the device authorization endpoint', async () => {
    for (const variant of variants()) {
      const res = await t.http.post('/oauth/device_authorization', { form: { client_id: variant, scope: 'read:device' } });
      expect({ variant, status: res.status, error: res.body.error }).toEqual({ variant, status: 401, error: 'invalid_client' });
    }
  });

  it('variants do not add credential-cache entries', async () => {
    const cache = t.get<CredentialCache>(CredentialCache);
    cache.invalidateAll();
    for (const variant of variants()) await codeRequest(variant);
    expect(cache.stats().size).toBe(0);
  });
});
