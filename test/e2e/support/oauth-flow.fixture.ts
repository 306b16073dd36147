import { createHash, randomBytes } from 'node:crypto';
import type { PrincipalUser } from '../../../src/auth/principal.factory';
import type { GrantType } from '../../../src/clients/client-types';
import { ClientsService } from '../../../src/clients/clients.service';
import type { HttpResponse } from './http-client';
import type { TestApp } from './test-app';
import { signedInUser } from './users.fixture';

export const REDIRECT_URI = 'https://app.example.test/callback';

export interface TestClient {
  clientId: string;
  secret?: string;
  type: 'public' | 'confidential';
  redirectUris: string[];
}

export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** RFC 7636 §4.1–4.2: a fresh verifier and its S256 challenge, computed independently of the server code. */
export function pkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function registerClient(
  t: TestApp,
  owner: PrincipalUser,
  opts: { type?: 'public' | 'confidential'; redirectUris?: string[]; scopes?: string[]; grantTypes?: GrantType[]; name?: string } = {},
): Promise<TestClient> {
  const type = opts.type ?? 'public';
  const redirectUris = opts.redirectUris ?? [REDIRECT_URI];
  const { client, secret } = await t.get<ClientsService>(ClientsService).register(owner, {
    name: opts.name ?? 'Radon dashboard',
    type,
    redirectUris,
    scopes: opts.scopes ?? ['read:device', 'write:device'],
    grantTypes: opts.grantTypes,
  });
  return { clientId: client.clientId, secret, type, redirectUris };
}

/** A signed-in user and a public client owned by another user: the usual starting point. */
export async function userAndClient(t: TestApp, clientOpts: Parameters<typeof registerClient>[2] = {}) {
  const owner = await signedInUser(t);
  const client = await registerClient(t, owner.user, clientOpts);
  const user = await signedInUser(t);
  return { user, client, owner };
}

export function authorizeUrl(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, v);
  return `/oauth/authorize?${q.toString()}`;
}

/** The usual authorization request parameters for `client`, with a fresh PKCE pair and state. */
export function codeRequest(client: TestClient, overrides: Record<string, string | undefined> = {}) {
  const pkce = pkcePair();
  const state = randomBytes(8).toString('hex');
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0],
    scope: 'read:device',
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return { params, pkce, state };
}

/** The hidden fields of the consent form, as a browser would post them back. */
export function consentFields(page: string): Record<string, string> {
  const form = /<form method="post" action="\/oauth\/consent">([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no consent form in page: ${page.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = decodeEntities(m[2]);
  return fields;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
}

export function decide(t: TestApp, cookie: string, page: string, decision: 'approve' | 'deny'): Promise<HttpResponse> {
  return t.http.post('/oauth/consent', { cookie, form: { ...consentFields(page), decision } });
}

/** The query of a redirect's Location. */
export function redirectParams(res: HttpResponse): URLSearchParams {
  const location = res.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${res.status}: ${res.text.slice(0, 300)}`);
  return new URL(location, 'http://gatehouse.invalid').searchParams;
}

/** GET /oauth/authorize and, when the consent page shows, approve it. Returns the final redirect. */
export async function authorizeAndApprove(t: TestApp, cookie: string, params: Record<string, string | undefined>): Promise<HttpResponse> {
  const res = await t.http.get(authorizeUrl(params), { cookie });
  if (res.status !== 200) return res;
  return decide(t, cookie, res.text, 'approve');
}

export async function obtainCode(t: TestApp, cookie: string, params: Record<string, string | undefined>): Promise<string> {
  const res = await authorizeAndApprove(t, cookie, params);
  const code = redirectParams(res).get('code');
  if (!code) throw new Error(`no code: ${res.headers.get('location')}`);
  return code;
}

/** POST /oauth/token as `client`: Basic for confidential clients, client_id in the body for public ones. */
export function tokenRequest(t: TestApp, client: TestClient, form: Record<string, string | undefined>): Promise<HttpResponse> {
  return clientRequest(t, client, '/oauth/token', form);
}

/** POST to a client-authenticated OAuth endpoint as `client` (Basic, or client_id for public clients). */
export function clientRequest(
  t: TestApp,
  client: TestClient,
  path: string,
  form: Record<string, string | undefined>,
): Promise<HttpResponse> {
  const body: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body[k] = v;
  const headers: Record<string, string> = {};
  if (client.type === 'confidential') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret!)}`).toString('base64')}`;
  } else {
    body.client_id = client.clientId;
  }
  return t.http.post(path, { form: body, headers });
}

export function exchangeCode(
  t: TestApp,
  client: TestClient,
  code: string,
  verifier: string | undefined,
  redirectUri = client.redirectUris[0],
) {
  return tokenRequest(t, client, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });
}

export function refresh(t: TestApp, client: TestClient, refreshToken: string, scope?: string) {
  return tokenRequest(t, client, { grant_type: 'refresh_token', refresh_token: refreshToken, scope });
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
}

/** Authorize, approve and exchange over HTTP: a live token pair for `cookie`'s user. */
export async function obtainTokens(
  t: TestApp,
  cookie: string,
  client: TestClient,
  overrides: Record<string, string | undefined> = {},
): Promise<TokenPair> {
  const { params, pkce } = codeRequest(client, overrides);
  const code = await obtainCode(t, cookie, params);
  const res = await exchangeCode(t, client, code, pkce.verifier);
  if (res.status !== 200) throw new Error(`code exchange failed: ${res.status} ${res.text}`);
  return res.body as TokenPair;
}
