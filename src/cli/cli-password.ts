import { randomBytes } from 'node:crypto';
import { CliError } from './cli-error';
import type { CliFlags } from './cli-command';
import { optionalString } from './cli-flags';

/** Same floor as BOOTSTRAP_ADMIN_PASSWORD. */
const MIN_LENGTH = 12;
const MAX_LENGTH = 1024;

/** The password from --password, or a generated one (144 random bits) the caller prints once. */
export function passwordFromFlags(flags: CliFlags): { password: string; generated: boolean } {
  const given = optionalString(flags, 'password');
  if (given === undefined) return { password: randomBytes(18).toString('base64url'), generated: true };
  if (given.length < MIN_LENGTH || given.length > MAX_LENGTH) {
    throw CliError.usage(`--password must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long`);
  }
  return { password: given, generated: false };
}

export function printGeneratedPassword(print: (line: string) => void, password: string): void {
  print(`Generated password (shown only this once; hand it over securely): ${password}`);
}
