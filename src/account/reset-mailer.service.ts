import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MailTopic } from '../outbox/mail-topic';
import { OutboxService } from '../outbox/outbox.service';

/** The outbox topic of a reset-link email. */
export const RESET_MAIL_TOPIC = 'mail.password_reset';

interface ResetMail {
  to: string;
  url: string;
  expiresAt: string;
}

/**
 * Sends password-reset links by email (through the outbox's MailTopic, when SMTP_URL is
 * configured), never inside a request, retried while the mail server is down, until the link
 * expires. The link never reaches a log line.
 */
@Injectable()
export class ResetMailer {
  private readonly mail: MailTopic<ResetMail>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, outbox: OutboxService) {
    this.mail = new MailTopic<ResetMail>(config, outbox, RESET_MAIL_TOPIC, {
      logger: 'ResetMailer',
      what: 'a password-reset email',
      write: ({ to, url, expiresAt }) => ({
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
      }),
    });
  }

  get enabled(): boolean {
    return this.mail.enabled;
  }

  /** Queues the email (delivered after the request; dropped undelivered once the link has expired). */
  async queueResetLink(to: string, url: string, expiresAt: Date): Promise<void> {
    await this.mail.enqueue({ to, url, expiresAt: expiresAt.toISOString() }, expiresAt);
  }
}
