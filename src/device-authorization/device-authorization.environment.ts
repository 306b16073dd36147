import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The device-authorization module's environment variables and their validation; the defaults are in `build` below. */
export class DeviceAuthorizationEnvironment {
  /** Device authorization grant (RFC 8628): device/user code lifetime (`expires_in`). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  DEVICE_CODE_TTL_SECONDS?: number;

  /** The minimum polling interval a device is told (`interval`, RFC 8628 §3.2). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  DEVICE_CODE_INTERVAL_SECONDS?: number;

  /** User-code entries on /device per browser session and per IP in one window (RFC 8628 §5.1). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  DEVICE_USER_CODE_ATTEMPT_WINDOW_SECONDS?: number;
}

/** The device authorization grant (RFC 8628). */
export const DEVICE_AUTHORIZATION_ENVIRONMENT = defineEnvironment({
  module: 'device-authorization',
  schema: DeviceAuthorizationEnvironment,
  rows: [
    {
      names: ['DEVICE_CODE_TTL_SECONDS'],
      default: '`600`',
      meaning: 'device authorization lifetime: device code and user code (`expires_in`; 1–3600)',
    },
    {
      names: ['DEVICE_CODE_INTERVAL_SECONDS'],
      default: '`5`',
      meaning: 'minimum polling interval a device is told (`interval`; each `slow_down` adds 5 s; 1–60)',
    },
    {
      names: ['DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION', 'DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP'],
      label: '`DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION` / `_PER_IP`',
      default: '`10` / `50`',
      meaning: 'user-code entries on `/device` allowed per browser session and per IP in one window, then `429` + `Retry-After`',
    },
    { names: ['DEVICE_USER_CODE_ATTEMPT_WINDOW_SECONDS'], default: '`900`', meaning: 'that window' },
  ],
  build: (env) => ({
    deviceFlow: {
      codeTtlMs: (env.DEVICE_CODE_TTL_SECONDS ?? 600) * 1000,
      intervalSeconds: env.DEVICE_CODE_INTERVAL_SECONDS ?? 5,
      maxAttemptsPerSession: env.DEVICE_USER_CODE_MAX_ATTEMPTS_PER_SESSION ?? 10,
      maxAttemptsPerIp: env.DEVICE_USER_CODE_MAX_ATTEMPTS_PER_IP ?? 50,
      attemptWindowMs: (env.DEVICE_USER_CODE_ATTEMPT_WINDOW_SECONDS ?? 900) * 1000,
    },
  }),
});
