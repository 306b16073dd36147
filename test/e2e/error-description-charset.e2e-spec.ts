import { basicAuth, createClient } from './support/clients.fixture';
import { userWithPat } from './support/personal-tokens.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

/** RFC 6749 §5.2 and RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E, nothing else. */
const ERROR_DESCRIPTION = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

describe('error_description charset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('RFC 6750 §3: a Bearer challenge carries only printable ASCII (the token sent two ways: "§2" was sent as raw UTF-8 bytes)', async () => {
    const u = await userWithPat(t);
    const res = await t.http.get(`/me?access_token=${u.pat.token}`, { bearer: u.pat.token });
    expect(res.status).toBe(400);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="gatehouse", error="invalid_request", error_description="[^"]+"$/);
    expect(/error_description="([^"]*)"/.exec(challenge)?.[1]).toMatch(ERROR_DESCRIPTION);
    expect(challenge).toContain('RFC 6750 section 2');
  });

  it('RFC 6749 §5.2: the token endpoint’s error_description is printable ASCII (invalid_scope, unauthorized_client)', async () => {
    const owner = (await createUser(t)).user;
    const confidential = await createClient(t, owner);
    const badScope = await t.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials', scope: 'read:device\tx' },
      headers: { authorization: basicAuth(confidential.clientId, confidential.secret!) },
    });
    expect({ status: badScope.status, error: badScope.body.error }).toEqual({ status: 400, error: 'invalid_scope' });
    expect(badScope.body.error_description).toMatch(ERROR_DESCRIPTION);

    const pub = await createClient(t, owner, {
      type: 'public',
      redirectUris: ['https://app.example/cb'],
      grantTypes: ['authorization_code'],
    });
    const publicCc = await t.http.post('/oauth/token', { form: { grant_type: 'client_credentials', client_id: pub.clientId } });
    expect(publicCc.status).toBeGreaterThanOrEqual(400);
    expect(publicCc.status).toBeLessThan(500);
    expect(publicCc.body.error_description).toMatch(ERROR_DESCRIPTION);
  });
});
