import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OutboxService } from '../outbox/outbox.service';

/** The outbox topic of a security notice about a user's second factors. */
export const MFA_MAIL_TOPIC = 'mail.mfa_notice';

interface MfaMail {
  to: string;
  subject: string;
  text: string;
}

/** Kept a day at most: a notice about an old event is noise. */
const NOTICE_TTL_MS = 24 * 3_600_000;

/**
 * Security notices to the account's owner (a factor added or removed, a recovery code used, the
 * second step locked after failures, an admin reset), sent through the outbox when SMTP_URL is
 * configured: never inside the request, retried while the mail server is down. Nothing secret
 * (no code, no secret) is ever in them.
 */
@Injectable()
export class MfaMailer {
  private readonly logger = new Logger('MfaMailer');
  private readonly transport?: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {
    if (config.mail) this.transport = createTransport(config.mail.smtpUrl);
    outbox.register(MFA_MAIL_TOPIC, (payload) => this.send(payload as MfaMail));
  }

  /** Queues a notice to `to` (nothing when mail is not configured). */
  async notify(to: string, subject: string, lines: string[]): Promise<void> {
    if (!this.transport) return;
    const text = [
      ...lines,
      '',
      `Review your account's security at ${new URL('/account/mfa', this.config.publicUrl).href}.`,
      'If this was not you, change your password and contact your administrator.',
    ].join('\n');
    await this.outbox.enqueue(MFA_MAIL_TOPIC, { to, subject, text } satisfies MfaMail, { notAfter: new Date(Date.now() + NOTICE_TTL_MS) });
  }

  private async send({ to, subject, text }: MfaMail): Promise<void> {
    if (!this.transport || !this.config.mail) throw new Error('SMTP_URL is not configured on this instance');
    try {
      await this.transport.sendMail({ from: this.config.mail.from, to, subject: `Gatehouse: ${subject}`, text });
    } catch (err) {
      this.logger.warn(`Could not send a security notice (will retry): ${(err as Error).message}`);
      throw err;
    }
  }
}
