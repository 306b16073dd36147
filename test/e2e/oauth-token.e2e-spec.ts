import { AuditEvent } from '../../src/audit/audit-event.entity';
import { hashToken, isWellFormed } from '../../src/auth/token-format';
import { AccessToken } from '../../src/grants/access-token.entity';
import { basicAuth, createClient } from './support/clients.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

describe('POST /oauth/token: client_credentials', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('RFC 6749 §4.4 + §2.3.1: client_secret_basic returns a Bearer token with expires_in and scope, no refresh token, no-store', async () => {
    const { user } = await createUser(t);
    const c = await createClient(t, user, { scopes: ['read:device', 'write:device'] });
    const res = await t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials', scope: 'read:device' },
      headers: { authorization: basicAuth(c.clientId, c.secret!) },
    });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.expires_in).toBe(3600);
    expect(res.body.scope).toBe('read:device');
    expect(res.body.refresh_token).toBeUndefined();
    expect(isWellFormed('accessToken', res.body.access_token)).toBe(true);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const row = await t.dataSource.getRepository(AccessToken).findOneBy({ tokenHash: hashToken(res.body.access_token) });
    expect(row?.clientId).toBe(c.clientId);
    expect(row?.userId).toBeNull();
    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'token.issue', actorId: c.clientId });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorType).toBe('client');
  });
});
