import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SessionCookieService } from '../../../src/sessions/session-cookie.service';
import { SsoConnection } from '../../../src/sso-connections/sso-connection.entity';
import type { SignedIn } from './admin.fixture';
import { freePort, startTestApp, TestApp } from './test-app';

export const IDP_CLIENT_ID = 'gatehouse';
export const IDP_CLIENT_SECRET = `upstream-secret-${randomUUID()}`;

export interface UpstreamIdp {
  issuer: string;
  /** Sends a control message (see upstream-idp.mjs) and waits until it is applied. */
  send(message: Record<string, unknown>): Promise<void>;
  /** Adds an account and makes it the one the next sign-in at the IdP signs in. */
  signInAs(sub: string, claims: Record<string, unknown>, amr?: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts node-oidc-provider (a child process) accepting Gatehouse callbacks under `rpOrigin`. */
export async function startUpstreamIdp(rpOrigin: string): Promise<UpstreamIdp> {
  const port = await freePort();
  const child: ChildProcess = fork(join(__dirname, 'upstream-idp.mjs'), [], {
    env: { ...process.env, PORT: String(port), RP_ORIGIN: rpOrigin, CLIENT_ID: IDP_CLIENT_ID, CLIENT_SECRET: IDP_CLIENT_SECRET },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`upstream IdP exited with ${code}`)));
    child.on('message', (m: { ready?: boolean }) => m.ready && resolve());
  });
  const send = (message: Record<string, unknown>) =>
    new Promise<void>((resolve) => {
      const id = randomUUID();
      const onMessage = (m: { id?: string }) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  return {
    issuer: `http://127.0.0.1:${port}`,
    send,
    signInAs: async (sub, claims, amr) => {
      await send({ account: { sub, claims } });
      await send({ login: { sub, ...(amr ? { amr } : {}) } });
    },
    close: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    },
  };
}

/** The SSO settings every SSO test app uses: http issuers allowed, a 1 s bound on IdP requests. */
export const SSO_TEST_ENV = { SSO_ALLOW_INSECURE_HTTP: 'true', SSO_HTTP_TIMEOUT_SECONDS: '1' };

/** The app on a reserved port, so PUBLIC_URL (and so the redirect URI) names its real origin. */
export async function startSsoApp(env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort();
  return startTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...SSO_TEST_ENV, ...env }, { port });
}

/** A fresh slug and email domain, so tests sharing a MySQL database never collide. */
export function uniqueRealm(prefix = 'corp'): { slug: string; domain: string } {
  const id = randomUUID().slice(0, 8);
  return { slug: `${prefix}-${id}`, domain: `${prefix}-${id}.example` };
}

export async function createConnection(
  t: TestApp,
  admin: SignedIn,
  idp: UpstreamIdp,
  fields: Record<string, unknown> & { slug: string },
): Promise<{ id: string; slug: string; name: string; redirectUri: string }> {
  const res = await t.http.post('/admin/sso/connections', {
    cookie: admin.cookie,
    json: { name: 'Example Corp', issuer: idp.issuer, clientId: IDP_CLIENT_ID, clientSecret: IDP_CLIENT_SECRET, ...fields },
  });
  if (res.status !== 201) throw new Error(`connection not created: ${res.status} ${res.text}`);
  return res.body;
}

/** Cookies by origin, as a browser keeps them (enough for these flows: name=value, no paths). */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: string, setCookies: string[]): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.jars.set(origin, jar);
  }

  get(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(origin, jar);
  }
}

export interface Hop {
  url: string;
  status: number;
  location: string | null;
  text: string;
}

/**
 * GETs `url` and follows redirects across origins the way a browser does, with one cookie jar.
 * `stopAt` ends the walk before requesting a URL it matches (to tamper with a callback).
 */
export async function browse(jar: CookieJar, url: string, opts: { stopAt?: RegExp; maxHops?: number } = {}): Promise<Hop[]> {
  const hops: Hop[] = [];
  let next: string | null = url;
  for (let i = 0; next && i < (opts.maxHops ?? 12); i++) {
    if (opts.stopAt && i > 0 && opts.stopAt.test(next)) {
      hops.push({ url: next, status: 0, location: null, text: '' });
      break;
    }
    const res = await fetch(next, { headers: { cookie: jar.header(next), accept: 'text/html' }, redirect: 'manual' });
    jar.store(next, res.headers.getSetCookie());
    const location = res.headers.get('location');
    hops.push({ url: next, status: res.status, location, text: await res.text() });
    next = location && res.status >= 300 && res.status < 400 ? new URL(location, next).toString() : null;
  }
  return hops;
}

/** The Cookie header value of the app's session cookie in `jar`, or undefined. */
export function sessionCookie(t: TestApp, jar: CookieJar): string | undefined {
  const name = t.get<SessionCookieService>(SessionCookieService).name;
  const value = jar.get(t.baseUrl, name);
  return value ? `${name}=${value}` : undefined;
}

/** Signs in through a connection's button and returns the walk (the last hop is the page after sign-in). */
export async function ssoSignIn(
  t: TestApp,
  slug: string,
  jar = new CookieJar(),
  next = '/account',
): Promise<{ jar: CookieJar; hops: Hop[] }> {
  const hops = await browse(jar, new URL(`/auth/sso/${slug}/start?next=${encodeURIComponent(next)}`, t.baseUrl).toString());
  return { jar, hops };
}

/** Where a "Taking you to …" page (sso-continue.hbs) sends the browser: its link, HTML-unescaped. */
export function continueUrl(html: string): string {
  const href = /data-testid="sso-continue"[\s\S]*?<a class="button" href="([^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error(`not a continue page: ${html.slice(0, 200)}`);
  return href
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"');
}

/**
 * An enabled connection stored as the admin API would store it, for tests that need one to exist
 * (routing, disabling, linked users) but never sign in through it: no IdP, no discovery.
 */
export async function storedConnection(t: TestApp, fields: Partial<SsoConnection> = {}): Promise<SsoConnection> {
  const { slug, domain } = uniqueRealm('stored');
  const now = new Date();
  return t.dataSource.getRepository(SsoConnection).save({
    id: randomUUID(),
    slug,
    name: 'Stored Corp',
    issuer: `https://idp.${domain}.test`,
    clientId: IDP_CLIENT_ID,
    clientSecretSealed: 'never opened',
    scopes: ['openid', 'email'],
    emailClaim: 'email',
    nameClaim: 'name',
    allowedDomains: [domain],
    requiredDomains: [],
    defaultRoles: ['user'],
    enabled: true,
    trustEmail: true,
    upstreamMfa: false,
    createdAt: now,
    updatedAt: now,
    ...fields,
  });
}
