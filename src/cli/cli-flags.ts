import { isEmail } from 'class-validator';
import { CliError } from './cli-error';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { CliContext, CliFlags } from './cli-command';

export function optionalString(flags: CliFlags, name: string): string | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw CliError.usage(`--${name} needs a value`);
  return value;
}

export function requiredString(flags: CliFlags, name: string): string {
  const value = optionalString(flags, name);
  if (value === undefined) throw CliError.usage(`Missing required flag --${name}`);
  return value;
}

export function requiredEmail(flags: CliFlags): string {
  const email = requiredString(flags, 'email').trim();
  if (email.length > 254 || !isEmail(email)) throw CliError.usage(`--email "${email}" is not a valid email address`);
  return email;
}

/** The existing user an email names, or a clear failure (exit 1). */
export async function existingUser(ctx: CliContext, email: string): Promise<User> {
  const user = await ctx.get(UsersService).findByEmail(email);
  if (!user) throw new CliError(`No user with email ${email}`);
  return user;
}
