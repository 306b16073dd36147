import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The users module's environment variables and their validation; the defaults are in `build` below. */
export class UsersEnvironment {
  /** scrypt cost as log2(N). 17 (128 MiB) is the OWASP recommendation; tests lower it. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(20)
  PASSWORD_SCRYPT_LOG_N?: number;

  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  @MinLength(12)
  BOOTSTRAP_ADMIN_PASSWORD?: string;
}

/** Password hashing and the first admin. */
export const USERS_ENVIRONMENT = defineEnvironment({
  module: 'users',
  schema: UsersEnvironment,
  rows: [
    { names: ['PASSWORD_SCRYPT_LOG_N'], default: '`17`', meaning: 'scrypt cost (2^17: 128 MiB per hash)' },
    {
      names: ['BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD'],
      secret: true,
      default: 'unset',
      meaning: 'create this admin at start when no admin exists',
    },
  ],
  check: (env) =>
    Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)
      ? ['BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together']
      : [],
  build: (env) => ({
    passwordScryptLogN: env.PASSWORD_SCRYPT_LOG_N ?? 17,
    bootstrapAdmin:
      env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD
        ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
  }),
});
