import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MailTopic, OutboxMail } from '../outbox/mail-topic';
import { OutboxService } from '../outbox/outbox.service';

/** The outbox topic of a security notice about a user's second factors. */
export const MFA_MAIL_TOPIC = 'mail.mfa_notice';

/** Kept a day at most: a notice about an old event is noise. */
const NOTICE_TTL_MS = 24 * 3_600_000;

/**
 * Security notices to the account's owner (a factor added or removed, a recovery code used, the
 * second step locked after failures, an admin reset), sent through the outbox's MailTopic when
 * SMTP_URL is configured: never inside the request, retried while the mail server is down.
 * Nothing secret (no code, no secret) is ever in them.
 */
@Injectable()
export class MfaMailer {
  private readonly mail: MailTopic<OutboxMail>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    outbox: OutboxService,
  ) {
    this.mail = new MailTopic<OutboxMail>(config, outbox, MFA_MAIL_TOPIC, {
      logger: 'MfaMailer',
      what: 'a security notice',
      write: ({ to, subject, text }) => ({ to, subject: `Gatehouse: ${subject}`, text }),
    });
  }

  /** Queues a notice to `to` (nothing when mail is not configured). */
  async notify(to: string, subject: string, lines: string[]): Promise<void> {
    if (!this.mail.enabled) return;
    const text = [
      ...lines,
      '',
      `Review your account's security at ${new URL('/account/mfa', this.config.publicUrl).href}.`,
      'If this was not you, change your password and contact your administrator.',
    ].join('\n');
    await this.mail.enqueue({ to, subject, text }, new Date(Date.now() + NOTICE_TTL_MS));
  }
}
