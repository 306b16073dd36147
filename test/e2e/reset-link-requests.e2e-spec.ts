import { PasswordResetLink } from '../../src/account/password-reset-link.entity';
import { auditForTarget, detailsOf, startIsolatedTestApp } from './support/admin.fixture';
import { settleOutbox } from './support/outbox.fixture';
import type { TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

/**
 * "Forgot password" with SMTP configured: each request emails a fresh link and supersedes the
 * previous one. Without a per-account limit anyone who knows an address could flood its inbox and
 * keep invalidating the link its owner is about to use (OWASP ASVS V6.3 / V2.5: resets must not
 * become a way to harass or lock out someone else). At most 3 emails per account per 15 minutes;
 * the answer stays the same (no enumeration), and the refusal is audited.
 */
describe('reset-link requests are limited per account', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A closed port: sending fails (logged without the link, retried by the outbox), the link row is still issued.
    // The outbox is database-wide: on MySQL, other files' apps would deliver this file's messages.
    t = await startIsolatedTestApp({ SMTP_URL: 'smtp://127.0.0.1:1', RATE_LIMIT_PER_IP_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  const ask = (email: string) => t.http.post('/password-reset/request', { json: { email }, origin: t.baseUrl });

  it('ASVS V6.3: the 4th request within the window sends nothing, answers the same, and is audited as denied', async () => {
    const { user, email } = await createUser(t);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ask(i % 2 ? email.toUpperCase() : ` ${email}`));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    // The requests are processed out of the request (issue 22 §3), by the outbox.
    await settleOutbox(t, 'account.password_reset_request');
    expect(await t.dataSource.getRepository(PasswordResetLink).countBy({ userId: user.id })).toBe(3);
    const denied = (await auditForTarget(t, user.id, 'user.password_reset_request')).filter((e) => e.outcome === 'denied');
    expect(denied).toHaveLength(3);
    expect(detailsOf(denied[0])).toEqual({ reason: 'rate_limited' });
  });

  it('another account is not affected by the first one’s limit', async () => {
    const { user, email } = await createUser(t);
    await ask(email);
    await settleOutbox(t, 'account.password_reset_request');
    expect(await t.dataSource.getRepository(PasswordResetLink).countBy({ userId: user.id })).toBe(1);
  });
});
