import { Session } from '../../src/sessions/session.entity';
import { SignedIn } from './support/admin.fixture';
import { enrolTotp, passwordStep, submitTotp, totpCode } from './support/mfa.fixture';
import {
  createConnection,
  Hop,
  sessionCookie,
  ssoSignIn,
  startSsoApp,
  startUpstreamIdp,
  uniqueRealm,
  UpstreamIdp,
} from './support/sso.fixture';
import { TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

/**
 * Issue 25 × issue 26: a single sign-on continues like a password sign-in (docs/sso.md "MFA"):
 * a user with a local factor meets the second step, one whom MFA_REQUIRED covers and who has
 * none is held at enrolment, unless the connection counts the IdP's MFA (`upstreamMfa`) and the
 * IdP said `mfa` in the id_token's `amr` (OpenID Connect Core §2, RFC 8176 §2).
 */
async function adminOf(t: TestApp): Promise<SignedIn> {
  // Under MFA_REQUIRED=all the admin is held at enrolment after the password: enrolling releases it.
  const admin = await createUser(t, { roles: ['admin'] });
  const { cookie } = await passwordStep(t, admin.email);
  await enrolTotp(t, cookie);
  return { ...admin, cookie };
}

const last = (hops: Hop[]) => hops[hops.length - 1];

describe('SSO and the second step (MFA_REQUIRED=all)', () => {
  let t: TestApp;
  let idp: UpstreamIdp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await startSsoApp({ MFA_REQUIRED: 'all' });
    idp = await startUpstreamIdp(t.baseUrl);
    admin = await adminOf(t);
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  async function realm(fields: Record<string, unknown> = {}) {
    const { slug, domain } = uniqueRealm('mfa');
    const c = await createConnection(t, admin, idp, { slug, allowedDomains: [domain], ...fields });
    return { ...c, domain };
  }
  it('RFC 8176 §2: an IdP sign-in without a counted mfa holds a new account at enrolment; enrolling completes it; the next SSO sign-in meets the second step', async () => {
    const c = await realm();
    const sub = `held-${c.slug}`;
    await idp.signInAs(sub, { email: `held@${c.domain}`, email_verified: true }, ['pwd', 'mfa']); // not counted here
    const first = await ssoSignIn(t, c.slug);
    expect(last(first.hops).url).toContain('/account/mfa?next=%2Faccount');
    const held = sessionCookie(t, first.jar)!;
    expect((await t.http.get('/me', { cookie: held })).body.error).toBe('sign_in_incomplete');
    const { secret } = await enrolTotp(t, held);
    expect((await t.http.get('/me', { cookie: held })).status).toBe(200);

    const second = await ssoSignIn(t, c.slug);
    expect(last(second.hops).url).toContain('/login/second-factor/totp?next=%2Faccount');
    const partial = sessionCookie(t, second.jar)!;
    expect((await t.http.get('/me', { cookie: partial })).status).toBe(403);
    const done = await submitTotp(t, partial, await totpCode(secret));
    expect(done.status).toBe(200);
    expect(done.body.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect((await t.http.get('/me', { cookie: partial })).status).toBe(200);
  });

  it('a connection that counts the IdP’s mfa: amr with mfa is a full session (no local step), amr without it is held', async () => {
    const c = await realm({ upstreamMfa: true });
    await idp.signInAs(`idp-mfa-${c.slug}`, { email: `idpmfa@${c.domain}`, email_verified: true }, ['pwd', 'mfa']);
    const withMfa = await ssoSignIn(t, c.slug);
    expect(last(withMfa.hops).url).toMatch(/\/account$/);
    const me = await t.http.get('/me', { cookie: sessionCookie(t, withMfa.jar)! });
    expect(me.status).toBe(200);
    const s = await t.dataSource.getRepository(Session).findOneByOrFail({ id: me.body.credential.id });
    expect(s.amr).toEqual(['pwd', 'mfa']);
    expect(s.pendingStep).toBeNull();

    await idp.signInAs(`idp-mfa-${c.slug}`, { email: `idpmfa@${c.domain}`, email_verified: true }, ['pwd']);
    const without = await ssoSignIn(t, c.slug);
    expect(last(without.hops).url).toContain('/account/mfa?next=%2Faccount');
  });
});
