import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';
import { MFA_REQUIREMENTS, type MfaRequirement } from '../mfa-policy/mfa-requirement';

/** The MFA module's environment variables and their validation; the defaults are in `build` below. */
export class MfaEnvironment {
  @IsOptional()
  @IsIn(MFA_REQUIREMENTS)
  MFA_REQUIRED?: MfaRequirement;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  TOTP_ISSUER?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  MFA_STEP_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MFA_MAX_FAILURES_PER_ACCOUNT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  MFA_MAX_FAILURES_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  MFA_FAILURE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  SUDO_MODE_SECONDS?: number;
}

/** Multi-factor sign-in (docs/mfa.md). */
export const MFA_ENVIRONMENT = defineEnvironment({
  module: 'mfa',
  schema: MfaEnvironment,
  rows: [
    {
      names: ['MFA_REQUIRED'],
      default: '`none`',
      meaning:
        '`none`, `admins` or `all`: who must have a second factor; one without is sent to enrolment right after the password. The initial value: a value an admin sets (Admin → Two-factor policy, `PUT /admin/mfa/policy`) is stored and wins ([docs/mfa.md](docs/mfa.md))',
    },
    { names: ['TOTP_ISSUER'], default: '`Gatehouse`', meaning: 'the issuer authenticator apps show beside the account' },
    {
      names: ['MFA_STEP_MINUTES'],
      default: '`5`',
      meaning: 'how long the partial session after the password lasts before the second step must start again (enrolment: 3×)',
    },
    {
      names: ['MFA_MAX_FAILURES_PER_ACCOUNT', 'MFA_MAX_FAILURES_PER_IP', 'MFA_FAILURE_WINDOW_SECONDS'],
      default: '`5` / `20` / `900`',
      meaning: 'wrong second-step codes per account and per IP before `429` until the window after the last failure ends',
    },
    {
      names: ['SUDO_MODE_SECONDS'],
      default: '`300`',
      meaning:
        'browser sessions need an authentication this recent for sensitive actions (API keys, client secrets, password, factors, admin actions on users; [docs/mfa.md](docs/mfa.md#step-up-sudo-mode)); `0`: every time',
    },
  ],
  build: (env) => ({
    mfa: {
      required: env.MFA_REQUIRED ?? 'none',
      totpIssuer: env.TOTP_ISSUER ?? 'Gatehouse',
      stepMs: (env.MFA_STEP_MINUTES ?? 5) * 60_000,
      maxFailuresPerAccount: env.MFA_MAX_FAILURES_PER_ACCOUNT ?? 5,
      maxFailuresPerIp: env.MFA_MAX_FAILURES_PER_IP ?? 20,
      failureWindowMs: (env.MFA_FAILURE_WINDOW_SECONDS ?? 900) * 1000,
      sudoModeMs: (env.SUDO_MODE_SECONDS ?? 300) * 1000,
    },
  }),
});
