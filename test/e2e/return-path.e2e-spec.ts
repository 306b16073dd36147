import { authorizeUrl, codeRequest, userAndClient } from './support/oauth-flow.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TEST_PASSWORD } from './support/users.fixture';

/** Item 2 of issue 9: no request value becomes an off-site Location (RFC 9700 §4.11). */
describe('post-sign-in return path (RFC 9700 §4.11: no open redirector)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function signInWith(next: string) {
    const u = await createUser(t);
    return t.http.post('/auth/login', { form: { email: u.email, password: TEST_PASSWORD, next }, origin: t.baseUrl });
  }
  const hiddenNext = (page: string) =>
    /name="next" value="([^"]*)"/
      .exec(page)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');

  it.each([
    ['a tab before a second slash', '/\t/evil.example/'],
    ['a newline before a second slash', '/\n/evil.example/'],
    ['a backslash', '/\\evil.example/'],
    ['a backslash later in the path', '/account\\..\\evil'],
    ['a protocol-relative URL', '//evil.example/'],
    ['another origin', 'https://evil.example/account'],
    ['a javascript: URL', 'javascript:alert(document.domain)'],
  ])('RFC 9700 §4.11: POST /auth/login with next = %s answers 303 Location: /account', async (_, next) => {
    const res = await signInWith(next);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
  });

  it('RFC 9700 §4.11: GET /login?next=/%09/evil.example/ puts /account in the form, not the tab trick', async () => {
    const res = await t.http.get('/login?next=/%09/evil.example/');
    expect(res.status).toBe(200);
    expect(hiddenNext(res.text)).toBe('/account');
  });

  it('a same-origin path, or an absolute URL on PUBLIC_URL, comes back as its path', async () => {
    expect((await signInWith('/account/tokens?tab=1')).headers.get('location')).toBe('/account/tokens?tab=1');
    expect((await signInWith('http://127.0.0.1/account/sessions')).headers.get('location')).toBe('/account/sessions');
  });

  it('the sign-in detour of an authorization request still comes back to it exactly', async () => {
    const { user, client } = await userAndClient(t);
    const url = authorizeUrl(codeRequest(client, { state: 'a b/c?d' }).params);
    const bounce = await t.http.get(url);
    expect(bounce.status).toBe(303);
    const login = new URL(bounce.headers.get('location')!, t.baseUrl);
    expect(login.searchParams.get('next')).toBe(url);
    const res = await t.http.post('/auth/login', {
      form: { email: user.email, password: TEST_PASSWORD, next: login.searchParams.get('next')! },
      origin: t.baseUrl,
    });
    expect(res.headers.get('location')).toBe(url);
  });
});
