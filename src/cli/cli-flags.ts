import { isEmail } from 'class-validator';
import { CliError } from './cli-error';
import type { CliFlags } from './cli-command';

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
