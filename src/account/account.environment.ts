import { IsOptional, IsString, Matches } from 'class-validator';
import { defineEnvironment } from '../config/environment-declaration';

/** The account module's environment variables and their validation; the defaults are in `build` below. */
export class AccountEnvironment {
  /** Outgoing mail for password-reset links (nodemailer URL: smtp://user:pass@host:587, smtps://…). Unset: no email; admins hand links over. */
  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The From address of those emails. */
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;
}

/** Outgoing mail (password-reset links). */
export const ACCOUNT_ENVIRONMENT = defineEnvironment({
  module: 'account',
  schema: AccountEnvironment,
  rows: [
    {
      names: ['SMTP_URL'],
      secret: true,
      default: 'unset',
      meaning:
        'nodemailer transport URL (`smtp://user:pass@host:587`, `smtps://…`) for password-reset emails; unset: no email, admins hand out reset links',
    },
    { names: ['MAIL_FROM'], default: '`Gatehouse <no-reply@host of PUBLIC_URL>`', meaning: 'the From of those emails' },
  ],
  build: (env, built) => ({
    mail: env.SMTP_URL
      ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM ?? `Gatehouse <no-reply@${new URL(built.publicUrl).hostname}>` }
      : undefined,
  }),
});
