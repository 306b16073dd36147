import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config';
import type { OutboxService } from './outbox.service';

/** One email as a topic writes it from its payload. */
export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * One kind of email sent through the outbox (issue 22 §3) by nodemailer, when SMTP_URL is
 * configured: never inside a request; `enqueue` puts the payload in the outbox (sealed at rest),
 * which sends it after the request and retries with backoff while the mail server is down, until
 * `notAfter`. An instance without SMTP leaves the mail to one that has it (retried, never
 * swallowed). The owning module makes one from its constructor (password-reset links, MFA notices).
 */
export class MailTopic<P> {
  private readonly logger: Logger;
  private readonly transport?: Transporter;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly topic: string,
    private readonly mail: {
      /** The logger's name. */
      logger: string;
      /** What a failed send's log line calls the mail ("a password-reset email"). */
      what: string;
      /** The mail of a payload (never log it: it may hold a link). */
      write: (payload: P) => OutboxMail;
    },
  ) {
    this.logger = new Logger(mail.logger);
    if (config.mail) this.transport = createTransport(config.mail.smtpUrl);
    outbox.register(topic, (payload) => this.send(payload as P));
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Queues the mail (nothing when mail is not configured); dropped undelivered after `notAfter`. */
  async enqueue(payload: P, notAfter: Date): Promise<void> {
    if (!this.enabled) return;
    await this.outbox.enqueue(this.topic, payload, { notAfter });
  }

  /** The outbox handler: one SMTP send; throws (the outbox retries later) when it fails. */
  private async send(payload: P): Promise<void> {
    if (!this.transport || !this.config.mail) throw new Error('SMTP_URL is not configured on this instance');
    const { to, subject, text } = this.mail.write(payload);
    try {
      await this.transport.sendMail({ from: this.config.mail.from, to, subject, text });
    } catch (err) {
      this.logger.warn(`Could not send ${this.mail.what} (will retry): ${(err as Error).message}`);
      throw err;
    }
  }
}
