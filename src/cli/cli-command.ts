import type { ParseArgsConfig } from 'node:util';

export type CliFlags = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What a running command gets: its parsed flags, the booted app (if it asked for one), and stdout. */
export interface CliContext {
  flags: CliFlags;
  /** Resolves a provider from the application context. Only for commands with `needsApp`. */
  get<T>(token: abstract new (...args: never[]) => T): T;
  print(line: string): void;
}

/**
 * One operator command. Register new ones in command-registry.ts; each lives in
 * src/cli/commands/<name>.command.ts.
 */
export interface CliCommand {
  /** `noun:verb`, e.g. `user:create`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** The flags part of the usage line, e.g. `--email E [--password P]`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** False for commands that need neither configuration nor the database (key:generate). */
  readonly needsApp: boolean;
  run(ctx: CliContext): Promise<void>;
}
