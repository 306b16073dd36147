import { DevicesService } from '../../src/devices/devices.service';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn, TEST_PASSWORD } from './support/users.fixture';
import { captureStdout } from './support/log-capture';

/**
 * Credentials never reach the logs. pino writes through process.stdout when its `write` has
 * been replaced before the app starts, so the spy sees every log line the app produces.
 */
describe('logging hygiene', () => {
  let t: TestApp;
  let output: string[];
  let stdout: jest.SpyInstance;

  const BEARER = 'ghat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
  const WRONG_PASSWORD = 'wrong-password-Zq81!';
  const CSRF = 'csrf-token-value-7731';
  const QUERY_TOKEN = 'query-token-value-5521';
  const BASIC = Buffer.from('someone:basic-secret-9911').toString('base64');
  let cookie: string;

  beforeAll(async () => {
    ({ output, stdout } = captureStdout());
    t = await startTestApp({ LOG_LEVEL: 'info' });

    // The traffic whose logs are checked below.
    const { email } = await createUser(t);
    await t.http.post('/auth/login', { json: { email, password: WRONG_PASSWORD }, origin: t.baseUrl });
    await t.http.post('/auth/login', { form: { email, password: WRONG_PASSWORD }, origin: t.baseUrl });
    cookie = await signIn(t, email);
    await t.http.get('/devices', { cookie, headers: { 'x-csrf-token': CSRF } });
    await t.http.get('/devices', { bearer: BEARER });
    await t.http.get('/devices', { headers: { authorization: `Basic ${BASIC}` } });
    await t.http.get(`/devices?access_token=${QUERY_TOKEN}&token=${QUERY_TOKEN}&code=${QUERY_TOKEN}`, { cookie });
    const spy = jest
      .spyOn(t.get<DevicesService>(DevicesService), 'listVisible')
      .mockRejectedValueOnce(new Error('kaboom in the device list'));
    const failed = await t.http.get('/devices', { cookie, headers: { 'x-request-id': 'logging-500' } });
    spy.mockRestore();
    expect(failed.status).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  afterAll(async () => {
    await t.close();
    stdout.mockRestore();
  });

  const log = () => output.join('');
  const entries = () =>
    log()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);

  it('logs requests as structured JSON with their request id (so the checks below have something to check)', () => {
    const requests = entries().filter((e) => e.req && e.res);
    expect(requests.length).toBeGreaterThanOrEqual(7);
    expect(requests.some((e) => e.req.path === '/auth/login' && e.res.statusCode === 200)).toBe(true);
    expect(requests.every((e) => typeof e.req.id === 'string' && e.service === 'gatehouse')).toBe(true);
  });

  it('logs an unexpected error with its stack and request id', () => {
    const error = entries().find((e) => e.requestId === 'logging-500' && e.level === 50);
    expect(error).toBeDefined();
    expect(JSON.stringify(error)).toContain('kaboom in the device list');
    expect(JSON.stringify(error)).toMatch(/at .*devices|\.ts:\d+/);
  });

  it('never logs passwords, cookies, tokens or Authorization headers', () => {
    const text = log();
    const sessionValue = cookie.split('=')[1];
    const secrets = {
      password: TEST_PASSWORD,
      wrongPassword: WRONG_PASSWORD,
      sessionCookie: sessionValue,
      // Any part of the sealed cookie (a JWE: header.key.iv.ciphertext.tag), not only the whole.
      ...Object.fromEntries(
        sessionValue
          .split('.')
          .filter((p) => p.length > 8)
          .map((p, i) => [`cookiePart${i}`, p]),
      ),
      bearer: BEARER,
      basic: BASIC,
      csrf: CSRF,
      queryToken: QUERY_TOKEN,
    };
    const leaked = Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    // No issued secret of any kind (session secrets, tokens) by its prefix either.
    expect(text).not.toMatch(/gh(ss|pat|at|rt|cs|ac)_[0-9A-Za-z]{8}/);
  });
});
