import { ExternalIdentity } from '../../src/sso-connections/external-identity.entity';
import { SsoConnection } from '../../src/sso-connections/sso-connection.entity';
import { User } from '../../src/users/user.entity';
import { auditForTarget, detailsOf, signedInAdmin, SignedIn } from './support/admin.fixture';
import { HTML } from './support/pages.fixture';
import { csrfFromPage } from './support/personal-tokens.fixture';
import {
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  sessionCookie,
  ssoSignIn,
  startSsoApp,
  startUpstreamIdp,
  uniqueRealm,
  UpstreamIdp,
} from './support/sso.fixture';
import { TestApp } from './support/test-app';

/** The admin pages of single sign-on: connection form, settings (write-only secret), disable, and a user's identities. */
describe('Single sign-on admin pages', () => {
  let t: TestApp;
  let idp: UpstreamIdp;
  let admin: SignedIn;
  let csrf: string;

  beforeAll(async () => {
    t = await startSsoApp();
    idp = await startUpstreamIdp(t.baseUrl);
    admin = await signedInAdmin(t);
    csrf = csrfFromPage((await t.http.get('/admin/ui/sso', { cookie: admin.cookie, headers: HTML })).text);
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  const post = (path: string, form: Record<string, string | string[]>) =>
    t.http.post(path, { cookie: admin.cookie, form: { _csrf: csrf, ...form }, headers: HTML });

  it('adds a connection from the form, shows its redirect URI but never its secret, and keeps the secret when the field is left empty', async () => {
    const { slug, domain } = uniqueRealm('page');
    const created = await post('/admin/ui/sso', {
      name: 'Page Corp',
      slug,
      issuer: idp.issuer,
      clientId: IDP_CLIENT_ID,
      clientSecret: IDP_CLIENT_SECRET,
      scopes: 'openid email profile',
      allowedDomains: domain,
      requiredDomains: '',
      defaultRoles: 'viewer',
      trustEmail: 'on',
    });
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/ui\/sso\/[0-9a-f-]{36}\?done=created$/);
    const page = await t.http.get(location, { cookie: admin.cookie, headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${t.baseUrl}/auth/sso/${slug}/callback`);
    expect(page.text).not.toContain(IDP_CLIENT_SECRET);
    const row = await t.dataSource.getRepository(SsoConnection).findOneByOrFail({ slug });
    expect(row).toMatchObject({ trustEmail: true, defaultRoles: ['viewer'], allowedDomains: [domain] });

    const saved = await post(`/admin/ui/sso/${row.id}`, {
      name: 'Page Corp Renamed',
      issuer: idp.issuer,
      clientId: IDP_CLIENT_ID,
      clientSecret: '',
      scopes: 'openid email profile',
      emailClaim: 'email',
      nameClaim: 'name',
      allowedDomains: domain,
      requiredDomains: '',
      defaultRoles: 'viewer',
    });
    expect(saved.status).toBe(303);
    const after = await t.dataSource.getRepository(SsoConnection).findOneByOrFail({ slug });
    expect(after.name).toBe('Page Corp Renamed');
    expect(after.trustEmail).toBe(false); // an unchecked box is "off"
    expect(after.clientSecretSealed).toBe(row.clientSecretSealed);
    const [update] = await auditForTarget(t, row.id, 'admin.sso.update');
    expect(detailsOf(update).changed).toEqual(['name', 'trustEmail']);

    // The kept secret still works upstream.
    await idp.signInAs(`page-${slug}`, { email: `ann@${domain}`, email_verified: true, name: 'Ann' });
    const { jar } = await ssoSignIn(t, slug);
    expect(sessionCookie(t, jar)).toBeDefined();

    const list = await t.http.get('/admin/ui/sso', { cookie: admin.cookie, headers: HTML });
    expect(list.text).toContain('Page Corp Renamed');
    expect(list.text).not.toContain(IDP_CLIENT_SECRET);
  });

  it('shows a refusal on the page: a bad issuer is a 400 with the reason, no row written', async () => {
    const { slug } = uniqueRealm('bad');
    const res = await post('/admin/ui/sso', { name: 'Bad', slug, issuer: 'http://127.0.0.1:9/nothing', clientId: 'x', clientSecret: 'y' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Discovery of');
    expect(await t.dataSource.getRepository(SsoConnection).countBy({ slug })).toBe(0);
  });

  it("lists a user's identities on their page and unlinks one; disabling a connection from its page can sign its users out", async () => {
    const { slug, domain } = uniqueRealm('ids');
    const created = await post('/admin/ui/sso', {
      name: 'Ids Corp',
      slug,
      issuer: idp.issuer,
      clientId: IDP_CLIENT_ID,
      clientSecret: IDP_CLIENT_SECRET,
      allowedDomains: domain,
      defaultRoles: 'user',
    });
    const connectionId = /sso\/([0-9a-f-]{36})/.exec(created.headers.get('location')!)![1];
    await idp.signInAs(`ids-${slug}`, { email: `bo@${domain}`, email_verified: true });
    const { jar } = await ssoSignIn(t, slug);
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: `bo@${domain}` });
    const page = await t.http.get(`/admin/ui/users/${user.id}`, { cookie: admin.cookie, headers: HTML });
    expect(page.text).toContain(`ids-${slug}`);
    const identity = await t.dataSource.getRepository(ExternalIdentity).findOneByOrFail({ userId: user.id });
    const unlinked = await post(`/admin/ui/users/${user.id}/identities/${identity.id}/unlink`, {});
    expect(unlinked.status).toBe(303);
    expect(await t.dataSource.getRepository(ExternalIdentity).countBy({ userId: user.id })).toBe(0);

    // Linked again by a new sign-in? No: the email is taken and the connection does not trust email.
    const again = await ssoSignIn(t, slug);
    expect(again.hops[again.hops.length - 1].status).toBe(409);

    const off = await post(`/admin/ui/sso/${connectionId}/disable`, { endSessions: 'on' });
    expect(off.status).toBe(303);
    expect((await t.http.get('/me', { cookie: sessionCookie(t, jar)! })).status).toBe(200); // unlinked: not one of its users any more
    const login = await t.http.get('/login', { headers: HTML });
    expect(login.text).not.toContain(`/auth/sso/${slug}/start`);
  });
});
