import { randomUUID } from 'node:crypto';
import { SsoLifecycleService } from '../../src/sso-connections/sso-lifecycle.service';
import { User } from '../../src/users/user.entity';
import {
  browse,
  CookieJar,
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  SSO_TEST_ENV,
  startUpstreamIdp,
  UpstreamIdp,
} from '../e2e/support/sso.fixture';
import { startTestApp, TestApp } from '../e2e/support/test-app';
import { flushTestRedis, freshDatabase, Instance, REDIS_URL, SHARED_SESSION_KEY, startInstances } from './support/instance';

/**
 * Issue 26 "Done when": a sign-in started on instance A completes on instance B. The pending
 * sign-in (state, nonce, PKCE verifier) is in the browser's sealed cookie, not in A's memory;
 * single use is kept in the shared counter store (Redis), so a replay on A after B is refused.
 * Both instances sit behind one public origin (PUBLIC_URL); the test plays the load balancer by
 * sending the IdP's redirect to whichever instance it chooses.
 */
describe('SSO across two instances', () => {
  const PUBLIC_URL = 'http://gatehouse.test';
  let a: Instance;
  let b: Instance;
  let c: TestApp;
  let idp: UpstreamIdp;
  const env = { ...SSO_TEST_ENV, PUBLIC_URL, REDIS_URL };

  beforeAll(async () => {
    const url = await freshDatabase('scale');
    await flushTestRedis();
    [a, b] = await startInstances([0, 1].map(() => ({ ...env, DATABASE_URL: url })));
    c = await startTestApp({ ...env, DATABASE_URL: url, SESSION_KEYS: SHARED_SESSION_KEY });
    idp = await startUpstreamIdp(PUBLIC_URL);
  });
  afterAll(async () => {
    await idp?.close();
    await c?.close();
    const codes = await Promise.all([a, b].filter(Boolean).map((i) => i.stop()));
    expect(codes).toEqual([0, 0]);
  });

  /** The cookies a browser at PUBLIC_URL holds, sent to an instance as if through the balancer. */
  function onInstance(jar: CookieJar, instance: Instance): CookieJar {
    const moved = new CookieJar();
    for (const pair of jar.header(PUBLIC_URL).split('; ').filter(Boolean)) {
      const eq = pair.indexOf('=');
      moved.set(instance.url, pair.slice(0, eq), pair.slice(eq + 1));
    }
    return moved;
  }

  it('completes on B a sign-in started on A, and refuses the same callback replayed on A', async () => {
    const slug = `two-${randomUUID().slice(0, 8)}`;
    const domain = `${slug}.example`;
    // Created through C (same database and keys): the secret C seals, A and B open.
    await c.get<SsoLifecycleService>(SsoLifecycleService).create({
      slug,
      name: 'Two Corp',
      issuer: idp.issuer,
      clientId: IDP_CLIENT_ID,
      clientSecret: IDP_CLIENT_SECRET,
      allowedDomains: [domain],
    });
    await idp.signInAs(`two-${slug}`, { email: `kim@${domain}`, email_verified: true });

    const jarA = new CookieJar();
    const toIdp = await browse(jarA, `${a.url}/auth/sso/${slug}/start?next=%2Faccount`, { stopAt: /^http:\/\/gatehouse\.test\// });
    const callback = new URL(toIdp[toIdp.length - 1].url);
    expect(callback.pathname).toBe(`/auth/sso/${slug}/callback`);
    // The browser's cookies for the public origin are the ones A set.
    const browser = new CookieJar();
    for (const pair of jarA.header(a.url).split('; ').filter(Boolean)) {
      const eq = pair.indexOf('=');
      browser.set(PUBLIC_URL, pair.slice(0, eq), pair.slice(eq + 1));
    }

    const onB = onInstance(browser, b);
    const done = await browse(onB, `${b.url}${callback.pathname}${callback.search}`, { maxHops: 1 });
    expect(done[0].status).toBe(303);
    expect(done[0].location).toBe('/account');
    const session = onB.header(b.url);
    const me = await fetch(`${a.url}/me`, { headers: { cookie: session } });
    expect(me.status).toBe(200); // the session B started works on A
    expect(((await me.json()) as { email: string }).email).toBe(`kim@${domain}`);
    expect(await c.dataSource.getRepository(User).countBy({ email: `kim@${domain}` })).toBe(1);

    const replay = await browse(onInstance(browser, a), `${a.url}${callback.pathname}${callback.search}`, { maxHops: 1 });
    expect(replay[0].status).toBe(400);
    expect(replay[0].text).toContain('already used');
  });
});
