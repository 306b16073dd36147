import { PasswordResetLink } from '../../src/account/password-reset-link.entity';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { freePort } from '../scale/support/instance';
import { settleOutbox } from './support/outbox.fixture';
import { SmtpSink, startSmtpSink } from './support/smtp-sink';
import { startIsolatedTestApp } from './support/admin.fixture';
import type { TestApp } from './support/test-app';
import { createUser } from './support/users.fixture';

const SMTP_DELAY_MS = 400;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The link in a received reset email (quoted-printable soft breaks undone). */
function linkIn(raw: string): string {
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = /\/password-reset\?token=(ghpr_[A-Za-z0-9_]+)/.exec(text);
  if (!m) throw new Error(`no reset link in mail:\n${raw.slice(0, 500)}`);
  return m[1];
}

/**
 * Issue 22 §3: the reset request must not tell by its timing or its body whether an account
 * exists. The mail is sent out of the request, through the table-backed outbox (src/outbox): with
 * a mail server that takes 400 ms to accept a message, known and unknown addresses answer alike
 * (ratio of medians over 30 requests each, never an absolute time), and an SMTP outage loses no
 * mail: the outbox retries with backoff and delivers once the server is back.
 */
describe('mail through the outbox: no enumeration by timing, no mail lost in an outage', () => {
  describe('a slow mail server', () => {
    let sink: SmtpSink;
    let t: TestApp;

    beforeAll(async () => {
      sink = await startSmtpSink({ delayMs: SMTP_DELAY_MS });
      // The outbox is database-wide: on MySQL, a database of its own (no other file's app delivers these).
      t = await startIsolatedTestApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, RATE_LIMIT_PER_IP_PER_MINUTE: '100000' });
    });
    afterAll(async () => {
      await t?.close();
      await sink?.close();
    });

    it('reset request: known and unknown emails take the same time (ratio of medians ≤ 1.5 over 30 each) and get identical bodies; the known ones are mailed afterwards', async () => {
      const N = 30;
      const known = await Promise.all(Array.from({ length: N }, () => createUser(t)));
      const ask = async (email: string) => {
        const started = process.hrtime.bigint();
        const res = await t.http.post('/password-reset/request', { json: { email }, origin: t.baseUrl });
        return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.status, text: res.text };
      };
      // Warm-up (first-request costs: route compilation, prepared statements).
      await ask('warm-up@example.test');
      await ask(known[0].email);
      await settleOutbox(t);
      const before = sink.messages.length;
      const knownTimes: number[] = [];
      const unknownTimes: number[] = [];
      const bodies = new Set<string>();
      // Interleaved, so the machine's noise and the outbox's work afterwards fall on both alike.
      for (let i = 0; i < N; i++) {
        const a = await ask(known[i].email);
        const b = await ask(`nobody-${i}-${Date.now()}@example.test`);
        for (const r of [a, b]) {
          expect(r.status).toBe(202);
          bodies.add(r.text);
        }
        knownTimes.push(a.ms);
        unknownTimes.push(b.ms);
      }
      expect(bodies.size).toBe(1);
      const ratio = median(knownTimes) / median(unknownTimes);
      const inverse = median(unknownTimes) / median(knownTimes);
      expect(Math.max(ratio, inverse)).toBeLessThanOrEqual(1.5);
      // The mail server's delay is nowhere in the request (it would dominate the known median).
      expect(median(knownTimes)).toBeLessThan(SMTP_DELAY_MS / 2);

      // …and the known ones are mailed: one per account (the first user already had one above).
      await settleOutbox(t, undefined, 60_000);
      expect(sink.messages.length - before).toBe(N);
    }, 120_000);
  });

  describe('the mail server is down', () => {
    it('the request answers at once; the outbox retries with backoff and delivers after the server is back; the link works', async () => {
      const port = await freePort();
      const t = await startIsolatedTestApp({
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        MAIL_RETRY_BASE_MS: '100',
        MAIL_OUTBOX_POLL_MS: '100',
        RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      });
      let sink: SmtpSink | undefined;
      try {
        const { user, email } = await createUser(t);
        const res = await t.http.post('/password-reset/request', { json: { email }, origin: t.baseUrl });
        expect(res.status).toBe(202);
        await settleOutbox(t, 'account.password_reset_request');
        expect(await t.dataSource.getRepository(PasswordResetLink).countBy({ userId: user.id })).toBe(1);

        // Nothing listens: at least two failed attempts, each pushed further out, the mail kept.
        const outbox = t.dataSource.getRepository(OutboxMessage);
        const deadline = Date.now() + 15_000;
        let row: OutboxMessage | null = null;
        while (Date.now() < deadline) {
          // On MySQL the database is shared with other test files: this app's message is the newest.
          row = await outbox.findOne({ where: { topic: 'mail.password_reset' }, order: { createdAt: 'DESC' } });
          if (row && row.attempts >= 2) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(row!.attempts).toBeGreaterThanOrEqual(2);
        expect(row!.doneAt).toBeNull();
        expect(row!.lastError).toBeTruthy();
        expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(row!.createdAt.getTime());
        // Sealed at rest: the link is not in the table.
        expect(row!.payloadSealed.split('.')).toHaveLength(5);
        expect(row!.payloadSealed).not.toContain('ghpr_');

        // The server comes back: the mail arrives, and its link opens the reset form.
        sink = await startSmtpSink({ port });
        const arrived = Date.now() + 20_000;
        while (sink.messages.length === 0 && Date.now() < arrived) await new Promise((r) => setTimeout(r, 50));
        expect(sink.messages).toHaveLength(1);
        const token = linkIn(sink.messages[0]);
        const page = await t.http.get(`/password-reset?token=${token}`, { headers: { accept: 'text/html' } });
        expect(page.status).toBe(200);
        expect(page.text).toContain('name="newPassword"');
        const done = (await outbox.findOneByOrFail({ id: row!.id }))!;
        expect(done.outcome).toBe('delivered');
        expect(done.payloadSealed).toBe('');
      } finally {
        await t.close();
        await sink?.close();
      }
    }, 60_000);
  });
});
