import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OutboxService } from '../outbox/outbox.service';

/** The outbox topic of a reset-link email. */
export const RESET_MAIL_TOPIC = 'mail.password_reset';

interface ResetMail {
  to: string;
  url: string;
  expiresAt: string;
}

/**
 * Sends password-reset links by email through nodemailer, when SMTP_URL is configured, never
 * inside a request: `queueResetLink` puts the mail in the outbox (sealed at rest), which sends it
 * after the request, retrying with backoff while the mail server is down, until the link expires.
 * The link never reaches a log line.
 */
@Injectable()
export class ResetMailer {
  private readonly logger = new Logger('ResetMailer');
  private readonly transport?: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {
    if (config.mail) this.transport = createTransport(config.mail.smtpUrl);
    outbox.register(RESET_MAIL_TOPIC, (payload) => this.send(payload as ResetMail));
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Queues the email (delivered after the request; dropped undelivered once the link has expired). */
  async queueResetLink(to: string, url: string, expiresAt: Date): Promise<void> {
    if (!this.enabled) return;
    await this.outbox.enqueue(RESET_MAIL_TOPIC, { to, url, expiresAt: expiresAt.toISOString() } satisfies ResetMail, {
      notAfter: expiresAt,
    });
  }

  /** The outbox handler: one SMTP send; throws (the outbox retries later) when it fails. */
  private async send({ to, url, expiresAt }: ResetMail): Promise<void> {
    // An instance without SMTP leaves the mail to one that has it (retried, never swallowed).
    if (!this.transport || !this.config.mail) throw new Error('SMTP_URL is not configured on this instance');
    try {
      await this.transport.sendMail({
        from: this.config.mail.from,
        to,
        subject: 'Reset your Gatehouse password',
        text: [
          'Someone asked to reset the password of your Gatehouse account.',
          '',
          `Open this link to choose a new password (it works once, until ${expiresAt}):`,
          url,
          '',
          'If it was not you, ignore this email: your password stays as it is.',
        ].join('\n'),
      });
    } catch (err) {
      this.logger.warn(`Could not send a password-reset email (will retry): ${(err as Error).message}`);
      throw err;
    }
  }
}
