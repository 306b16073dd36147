import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * Sends password-reset links by email through nodemailer, when SMTP_URL is configured. The link
 * never reaches a log line; a failed send is logged without it and the caller's answer stays the same.
 */
@Injectable()
export class ResetMailer {
  private readonly logger = new Logger('ResetMailer');
  private readonly transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.mail) this.transport = createTransport(config.mail.smtpUrl);
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  async sendResetLink(to: string, url: string, expiresAt: Date): Promise<void> {
    if (!this.transport || !this.config.mail) return;
    try {
      await this.transport.sendMail({
        from: this.config.mail.from,
        to,
        subject: 'Reset your Gatehouse password',
        text: [
          'Someone asked to reset the password of your Gatehouse account.',
          '',
          `Open this link to choose a new password (it works once, until ${expiresAt.toISOString()}):`,
          url,
          '',
          'If it was not you, ignore this email: your password stays as it is.',
        ].join('\n'),
      });
    } catch (err) {
      this.logger.warn(`Could not send a password-reset email: ${(err as Error).message}`);
    }
  }
}
