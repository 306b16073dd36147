import type { GrantType } from '../../../src/clients/client-types';
import { ClientsService } from '../../../src/clients/clients.service';
import type { User } from '../../../src/users/user.entity';
import type { TestApp } from './test-app';

export interface ClientOptions {
  type?: 'confidential' | 'public';
  scopes?: string[];
  redirectUris?: string[];
  grantTypes?: GrantType[];
  name?: string;
  introspectionAllowed?: boolean;
}

export interface TestClient {
  clientId: string;
  /** Undefined for public clients. */
  secret?: string;
}

/** Registers a client for `owner` through the service (the HTTP API has its own tests). */
export async function createClient(t: TestApp, owner: User, opts: ClientOptions = {}): Promise<TestClient> {
  const { client, secret } = await t.get<ClientsService>(ClientsService).register(
    owner,
    {
      name: opts.name ?? 'Test client',
      type: opts.type ?? 'confidential',
      redirectUris: opts.redirectUris,
      grantTypes: opts.grantTypes,
      scopes: opts.scopes ?? ['read:device'],
    },
    { introspectionAllowed: opts.introspectionAllowed },
  );
  return { clientId: client.clientId, secret };
}

/** `Authorization: Basic` for client_secret_basic (RFC 6749 §2.3.1: form-encode, then base64). */
export function basicAuth(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64')}`;
}

/** A client_credentials token for a confidential client, via Basic. */
export async function clientCredentialsToken(t: TestApp, c: TestClient, scope?: string): Promise<string> {
  const res = await t.http.post('/oauth/token', {
    form: { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
    headers: { authorization: basicAuth(c.clientId, c.secret!) },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token;
}
