import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { SsoConnection } from '../../src/sso-connections/sso-connection.entity';
import { cliDatabase, runCli } from './support/cli.fixture';
import {
  IDP_CLIENT_SECRET,
  sessionCookie,
  SSO_TEST_ENV,
  ssoSignIn,
  startUpstreamIdp,
  uniqueRealm,
  UpstreamIdp,
} from './support/sso.fixture';
import { freePort, startTestApp, TestApp } from './support/test-app';

const db = cliDatabase('cli-sso');
// The CLI and the app must share the keys: the secret the CLI seals is opened by the app.
const SHARED: Record<string, string> = { SESSION_KEYS: randomBytes(32).toString('base64url'), ...SSO_TEST_ENV };
const cli = (args: string[], env: Record<string, string> = {}) => runCli(db.url, args, { ...SHARED, ...env });

describe('operators CLI: sso:create, sso:list, sso:disable', () => {
  // Four CLI processes (ts-node each): on a loaded 2-core box one takes ~50 s.
  jest.setTimeout(300_000);
  let t: TestApp;
  let idp: UpstreamIdp;
  const secretFile = join(tmpdir(), `gatehouse-sso-secret-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    const port = await freePort();
    SHARED.PUBLIC_URL = `http://127.0.0.1:${port}`;
    t = await startTestApp({ DATABASE_URL: db.url, ...SHARED }, { port });
    idp = await startUpstreamIdp(t.baseUrl);
    writeFileSync(secretFile, `${IDP_CLIENT_SECRET}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    rmSync(secretFile, { force: true });
    await idp?.close();
    await t?.close();
    db.dispose();
  });

  it('creates a connection the app signs in through, lists it without its secret, disables it', async () => {
    const { slug, domain } = uniqueRealm('cli');
    const missing = await cli(['sso:create', '--slug', slug, '--name', 'CLI Corp', '--issuer', idp.issuer, '--client-id', 'gatehouse']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('client secret');

    const res = await cli([
      'sso:create',
      '--slug',
      slug,
      '--name',
      'CLI Corp',
      '--issuer',
      idp.issuer,
      '--client-id',
      'gatehouse',
      '--client-secret-file',
      secretFile,
      '--domain',
      domain,
      '--role',
      'viewer',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${t.baseUrl}/auth/sso/${slug}/callback`);
    expect(res.stdout).not.toContain(IDP_CLIENT_SECRET);
    const row = await t.dataSource.getRepository(SsoConnection).findOneByOrFail({ slug });
    expect(row.clientSecretSealed).not.toContain(IDP_CLIENT_SECRET);

    await idp.signInAs(`cli-${slug}`, { email: `op@${domain}`, email_verified: true });
    const { jar } = await ssoSignIn(t, slug);
    expect((await t.http.get('/me', { cookie: sessionCookie(t, jar)! })).body.email).toBe(`op@${domain}`);

    const list = await cli(['sso:list']);
    expect(list.stdout).toContain(`${slug}\tenabled\tCLI Corp`);
    expect(list.stdout).not.toContain(IDP_CLIENT_SECRET);

    const off = await cli(['sso:disable', '--slug', slug, '--end-sessions']);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('signed out 1 user');
    expect((await t.http.get('/me', { cookie: sessionCookie(t, jar)! })).status).toBe(401);
    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ targetId: row.id });
    expect(audit.map((e) => e.action).sort()).toEqual(['admin.sso.create', 'admin.sso.disable']);
    expect(JSON.stringify(audit)).not.toContain(IDP_CLIENT_SECRET);
  });
});
