import { settleOutbox } from './support/outbox.fixture';
import { auditByActor, startIsolatedTestApp } from './support/admin.fixture';
import { csrfOf, enrolTotp, passwordStep } from './support/mfa.fixture';
import { followRedirect, HTML } from './support/pages.fixture';
import { SmtpSink, startSmtpSink } from './support/smtp-sink';
import type { TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

function submitRecovery(t: TestApp, cookie: string, code: string) {
  return t.http.post('/login/second-factor/recovery', { cookie, json: { code } });
}

describe('MFA: recovery codes (issue 25)', () => {
  let t: TestApp;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    // The outbox is database-wide: a database of its own on MariaDB/PostgreSQL.
    t = await startIsolatedTestApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MFA_MAX_FAILURES_PER_ACCOUNT: '1000' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('ten codes shown once at first enrolment (with a text download); each works once, in any case and without the dash', async () => {
    const u = await signedInUser(t);
    const { recoveryCodes } = await enrolTotp(t, u.cookie);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    const page = await t.http.get('/account/mfa', { cookie: u.cookie, headers: HTML });
    expect(page.text).toContain('10 of 10 left');
    expect(page.text).not.toContain(recoveryCodes[0]); // shown once, in the flash of the redirect only

    const a = await passwordStep(t, u.email);
    const typed = recoveryCodes[0].replace('-', '').toUpperCase();
    const ok = await submitRecovery(t, a.cookie, typed);
    expect(ok.status).toBe(200);
    expect(ok.body.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect((await t.http.get('/me', { cookie: a.cookie })).status).toBe(200);

    const b = await passwordStep(t, u.email);
    const again = await submitRecovery(t, b.cookie, recoveryCodes[0]);
    expect(again.status).toBe(401);
    const left = await t.http.get('/account/mfa', { cookie: a.cookie, headers: HTML });
    expect(left.text).toContain('9 of 10 left');

    const used = await auditByActor(t, u.user.id, 'mfa.recovery_code_used');
    expect(used).toHaveLength(1);
    await settleOutbox(t);
    const mail = sink.messages.find((m) => m.includes(u.email) && m.includes('recovery code was used'));
    expect(mail).toBeDefined();
    expect(mail).not.toContain(recoveryCodes[0]);
  });

  it('regenerating invalidates the old set and shows the new one once; the flash offers a text download', async () => {
    const u = await signedInUser(t);
    const { recoveryCodes: old } = await enrolTotp(t, u.cookie);
    const page = await t.http.get('/account/mfa', { cookie: u.cookie, headers: HTML });
    const posted = await t.http.post('/account/mfa/recovery-codes', { cookie: u.cookie, form: { _csrf: csrfOf(page.text) } });
    const shown = await followRedirect(t, posted, u.cookie);
    const fresh = [
      ...(/data-testid="revealed-lines">([\s\S]*?)<\/ol>/.exec(shown.text)?.[1] ?? '').matchAll(/<code>([a-z0-9-]+)<\/code>/g),
    ].map((m) => m[1]);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(old[0]);
    const download = /data-testid="reveal-download"|download="gatehouse-recovery-codes.txt"/.test(shown.text);
    expect(download).toBe(true);
    const href = /href="(data:text\/plain[^"]+)"/
      .exec(shown.text)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(decodeURIComponent(href.split(',')[1])).toContain(fresh[3]);

    const a = await passwordStep(t, u.email);
    expect((await submitRecovery(t, a.cookie, old[1])).status).toBe(401);
    expect((await submitRecovery(t, a.cookie, fresh[1])).status).toBe(200);
    expect(await auditByActor(t, u.user.id, 'mfa.recovery_codes_regenerated')).toHaveLength(1);
  });

  it('malformed recovery codes are a 400 with the page message; a user without a factor has no recovery step', async () => {
    const u = await signedInUser(t);
    await enrolTotp(t, u.cookie);
    const { cookie } = await passwordStep(t, u.email);
    const page = await t.http.get('/login/second-factor/recovery', { cookie, headers: HTML });
    expect(page.status).toBe(200);
    for (const code of ['short', 'x'.repeat(10 * 1024), '!!!!!-!!!!!']) {
      const res = await t.http.post('/login/second-factor/recovery', { cookie, form: { _csrf: csrfOf(page.text), code } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-testid="second-step-error"');
    }
    const plain = await signedInUser(t);
    const regenerate = await t.http.post('/account/mfa/recovery-codes', { cookie: plain.cookie, json: {} });
    expect(regenerate.status).toBe(409);
  });
});
