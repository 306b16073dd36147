import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ClientSecret } from '../../src/clients/client-secret.entity';
import { hashToken, tokenPattern } from '../../src/auth/token-format';
import { basicAuth } from './support/clients.fixture';
import { cliDatabase, runCli } from './support/cli.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';
import { CLIENT_SECRET_TOKEN } from '../../src/clients/client-secret.token-kind';
import { DEVICE_CODE } from '../../src/device-authorization/device-code.token-kind';

const db = cliDatabase('cli-clients');
const cli = (args: string[]) => runCli(db.url, args);

describe('operators CLI: client:create', () => {
  jest.setTimeout(90_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await t.close();
    db.dispose();
  });

  it('registers a confidential client, prints its id and secret once, and the secret works at the token endpoint', async () => {
    const owner = await createUser(t);
    const res = await cli(['client:create', '--owner', owner.email, '--name', 'Sensor sync', '--scope', 'read:device']);
    expect(res.code).toBe(0);
    const clientId = /client_id\S*\s*[:=]?\s*(\S+)/i.exec(res.stdout)?.[1];
    const secret = res.stdout.match(/ghcs_[0-9A-Za-z]{36}/)?.[0];
    expect(clientId).toBeDefined();
    expect(secret).toMatch(tokenPattern(CLIENT_SECRET_TOKEN));
    expect(res.stdout.split(secret!).length - 1).toBe(1);
    // Stored only as its hash.
    expect(await t.dataSource.getRepository(ClientSecret).countBy({ secretHash: hashToken(secret!) })).toBe(1);

    const token = await t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: basicAuth(clientId!, secret!) },
    });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('read:device');
    expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'client.create', targetId: clientId! })).toBe(1);
  });

  it('registers a public device client with --grant-type device_code (short for the RFC 8628 URN); it can start a device authorization', async () => {
    const owner = await createUser(t);
    const res = await cli([
      'client:create',
      '--owner',
      owner.email,
      '--name',
      'Radon CLI',
      '--type',
      'public',
      '--scope',
      'read:device',
      '--grant-type',
      'device_code',
      '--grant-type',
      'refresh_token',
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('urn:ietf:params:oauth:grant-type:device_code');
    const clientId = /client_id\S*\s*[:=]?\s*(\S+)/i.exec(res.stdout)?.[1];
    const started = await t.http.post('/oauth/device_authorization', { form: { client_id: clientId!, scope: 'read:device' } });
    expect(started.status).toBe(200);
    expect(started.body.device_code).toMatch(tokenPattern(DEVICE_CODE));
  });

  it('fails with a clear message and exit 1 for an unknown owner, and exit 2 for a bad redirect URI', async () => {
    const unknown = await cli(['client:create', '--owner', 'nobody-cli@example.test', '--name', 'X']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nobody-cli@example.test/);

    const owner = await createUser(t);
    const bad = await cli(['client:create', '--owner', owner.email, '--name', 'X', '--redirect-uri', 'http://evil.example/cb']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/redirect/i);
    expect(bad.stdout).not.toMatch(/ghcs_/);
  });
});
