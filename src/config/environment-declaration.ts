import type { AppConfig } from './app-config';

/** class-transformer helpers for the schemas: '' counts as unset; numbers and booleans from strings. */
export const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
export const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value; // left as a string so IsBoolean reports it
};

/** A part of AppConfig: objects partly, everything else whole (slices of one object may come from several modules). */
export type ConfigSlice<T> = {
  [K in keyof T]?: T[K] extends Uint8Array | unknown[] ? T[K] : T[K] extends object ? ConfigSlice<T[K]> : T[K];
};

/** One row of the README's configuration table and of `--help`. */
export interface EnvironmentRow {
  /** The variables the row describes (each variable is in exactly one row; a test checks). */
  names: string[];
  /** The first cell, when not the names joined by " / " (e.g. `` `TOKEN_RATE_LIMIT_PER_CLIENT` / `_PER_IP` ``). */
  label?: string;
  /** Marks the row *(secret)*: never logged, never shown. */
  secret?: boolean;
  /** The default, as Markdown (`` `3000` ``, "unset"). */
  default: string;
  /** What it does, as Markdown (one line). */
  meaning: string;
}

/**
 * What one module reads from the environment: see the how-to at the top of src/configuration.ts.
 * `E` is the module's class-validator schema (its variables as optional properties).
 */
export interface ModuleEnvironment<E extends object = object> {
  /** The owning module's folder under src/ (for the docs). */
  module: string;
  /** The class whose decorated properties validate this module's variables. */
  schema: new () => E;
  /** README/`--help` rows for every variable of the schema. */
  rows: EnvironmentRow[];
  /** Problems that involve several variables (or the raw `source`), as `NAME: message` lines. */
  check?(env: E, source: NodeJS.ProcessEnv): string[];
  /**
   * The module's part of AppConfig, from its validated variables. `built` holds what the modules
   * before it (in src/configuration.ts's list) built, e.g. `publicUrl` or `session.keys`.
   */
  build(env: E, built: AppConfig): ConfigSlice<AppConfig>;
}

/** Declares a module's environment (type inference for `env` in `check` and `build`). */
export function defineEnvironment<E extends object>(declaration: ModuleEnvironment<E>): ModuleEnvironment<E> {
  return declaration;
}
