import { hashToken } from '../../src/auth/token-format';
import { User } from '../../src/users/user.entity';
import { DeviceAuthorization } from '../../src/device-authorization/device-authorization.entity';
import { signedInAdmin } from './support/admin.fixture';
import { createBot } from './support/bots.fixture';
import { deviceClient, deviceUser, enterAndDecide, enterUserCode, startDeviceFlow } from './support/device-flow.fixture';
import type { HttpResponse } from './support/http-client';
import { enrolTotp } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { storedConnection } from './support/sso.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signedInUser } from './support/users.fixture';

/**
 * Issue 22 §3: an endpoint whose answer must not tell whether an account exists answers a known
 * and an unknown account with the same status and the same body (a per-request id, a CSP nonce
 * and the address the visitor typed, echoed back, aside). Sign-in (JSON and form: wrong password,
 * unknown email, disabled account, bot), the reset request (JSON and form: known, unknown,
 * disabled, bot), device verification (unknown, expired, already approved, denied, and a disabled
 * client's code), and home-realm discovery at the login page (a known and an unknown address of an
 * SSO domain, and of a domain without SSO). The reset request's timing is measured in
 * mail-outbox.e2e-spec.ts; sign-in's below, as a ratio of medians (never an absolute time).
 */
describe('no account enumeration by content', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      LOGIN_MAX_FAILURES_PER_IP: '100000',
      DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION: '1000',
      DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP: '1000',
    });
  });
  afterAll(() => t.close());

  /** Status and body with what legitimately differs per request replaced: ids, nonces, the echoed address. */
  function normalised(res: HttpResponse, typed: string[] = []): string {
    let text = res.text
      .replace(/"requestId":"[^"]*"/g, '"requestId":"…"')
      .replace(/nonce="[^"]*"/g, 'nonce="…"')
      .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="…"');
    for (const s of typed) text = text.split(s).join('TYPED').split(encodeURIComponent(s)).join('TYPED');
    return `${res.status} ${text}`;
  }

  /** Every answer alike: one distinct normalised answer. */
  function expectAlike(answers: string[]): void {
    for (const a of answers) expect(a).toBe(answers[0]);
  }

  const login = (email: string, form: boolean) =>
    t.http.post(
      '/auth/login',
      form
        ? { form: { email, password: 'not the password' }, origin: t.baseUrl }
        : { json: { email, password: 'not the password' }, origin: t.baseUrl },
    );

  /**
   * A known person, an unknown address, a disabled person, a bot, and a person with a second factor
   * (issue 25: a wrong password must not tell that the account has TOTP): the five an attacker could tell apart.
   */
  async function accounts(): Promise<string[]> {
    const known = await createUser(t);
    const disabled = await createUser(t);
    const admin = await signedInAdmin(t);
    expect((await t.http.post(`/admin/users/${disabled.user.id}/disable`, { cookie: admin.cookie })).status).toBe(200);
    const manager = await signedInUser(t);
    const bot = await createBot(t, manager.cookie);
    const botEmail = (await t.dataSource.getRepository(User).findOneByOrFail({ id: bot.id })).email;
    const withFactor = await signedInUser(t);
    await enrolTotp(t, withFactor.cookie);
    return [known.email, `nobody-${Date.now()}@example.test`, disabled.email, botEmail, withFactor.email];
  }

  it('sign-in (POST /auth/login, JSON and form): wrong password, unknown email, disabled account, bot and an account with TOTP answer alike', async () => {
    const emails = await accounts();
    for (const form of [false, true]) {
      const answers = [];
      for (const email of emails) answers.push(normalised(await login(email, form), [email]));
      expectAlike(answers);
      expect(answers[0]).toMatch(/^401 /);
    }
  });

  it('the reset request (POST /password-reset/request, JSON and form): known, unknown, disabled, bot and TOTP-enrolled answer alike', async () => {
    const emails = await accounts();
    for (const form of [false, true]) {
      const answers = [];
      for (const email of emails) {
        const res = await t.http.post(
          '/password-reset/request',
          form ? { form: { email }, origin: t.baseUrl, headers: HTML } : { json: { email }, origin: t.baseUrl },
        );
        answers.push(normalised(res, [email]));
      }
      expectAlike(answers);
      expect(answers[0]).toMatch(form ? /^(200|303) / : /^202 /);
    }
  });

  it('device verification (POST /device): an unknown, expired, approved, denied or disabled-client code answer alike (RFC 8628 §5.1)', async () => {
    const owner = await createUser(t);
    const client = await deviceClient(t, owner.user);
    const other = await deviceClient(t, owner.user);
    const u = await deviceUser(t);
    const expired = await startDeviceFlow(t, client);
    await t.dataSource
      .getRepository(DeviceAuthorization)
      .update({ deviceCodeHash: hashToken(expired.device_code) }, { expiresAt: new Date(Date.now() - 1000) });
    const approved = await startDeviceFlow(t, client);
    await enterAndDecide(t, u, approved.user_code, 'approve');
    const denied = await startDeviceFlow(t, client);
    await enterAndDecide(t, u, denied.user_code, 'deny');
    const ofDisabled = await startDeviceFlow(t, other);
    const admin = await signedInAdmin(t);
    expect((await t.http.post(`/admin/clients/${other.clientId}/disable`, { cookie: admin.cookie })).status).toBe(200);
    const answers = [];
    for (const code of ['MNPQ-RSTV', expired.user_code, approved.user_code, denied.user_code, ofDisabled.user_code]) {
      answers.push(normalised(await enterUserCode(t, u, code), [code]));
    }
    expectAlike(answers);
    expect(answers[0]).toMatch(/^400 /);
  });

  it('home-realm discovery at the login page (POST /auth/sso/discover, JSON and form): a known and an unknown address answer alike', async () => {
    const c = await storedConnection(t);
    const domain = c.allowedDomains[0];
    const known = await createUser(t, { email: `known-${Date.now()}@${domain}` });
    const plain = await createUser(t);
    const discover = (email: string, form: boolean) =>
      t.http.post('/auth/sso/discover', form ? { form: { email }, origin: t.baseUrl } : { json: { email }, origin: t.baseUrl });
    for (const form of [false, true]) {
      // An SSO domain: the same start URL but for the address itself (login_hint).
      const sso = [known.email, `nobody-${Date.now()}@${domain}`];
      const ssoAnswers = [];
      for (const email of sso) ssoAnswers.push(normalised(await discover(email, form), [email]));
      expectAlike(ssoAnswers);
      expect(ssoAnswers[0]).toContain(`/auth/sso/${c.slug}/start`);
      // A domain without SSO: nothing to tell, for a person who exists or not.
      const none = [plain.email, `nobody-${Date.now()}@example.test`];
      const noneAnswers = [];
      for (const email of none) noneAnswers.push(normalised(await discover(email, form), [email]));
      expectAlike(noneAnswers);
      if (!form) expect(JSON.parse(noneAnswers[0].slice(4))).toEqual({ signInUrl: null });
    }
  });

  it('sign-in takes as long for an unknown email as for a wrong password (ratio of medians ≤ 1.5 over 20 each)', async () => {
    const N = 20;
    const known = await Promise.all(Array.from({ length: N }, () => createUser(t)));
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      const res = await login(email, false);
      expect(res.status).toBe(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    await timed('warm-up@example.test');
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    // Interleaved, so the machine's noise falls on both alike; one attempt per account (no lockout).
    for (let i = 0; i < N; i++) {
      knownMs.push(await timed(known[i].email));
      unknownMs.push(await timed(`nobody-${i}-${Date.now()}@example.test`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(knownMs) / median(unknownMs);
    expect(Math.max(ratio, 1 / ratio)).toBeLessThanOrEqual(1.5);
  }, 120_000);
});
