/**
 * Gatehouse's configuration: every module's environment variables, composed.
 *
 * How to add a variable (or a module's first one):
 * 1. In your module, `src/<module>/<module>.environment.ts` (copy a small one, e.g.
 *    src/redis/redis.environment.ts): add the property with its class-validator decorators to
 *    the module's schema class, a row (`names`, `default`, `meaning`, `secret` when it is one) to
 *    `rows`, and the value to `build`, which returns the module's part of AppConfig.
 * 2. Add the field to the AppConfig interface (src/config/app-config.ts); read it through
 *    `@Inject(APP_CONFIG) config: AppConfig`.
 * 3. A new module's declaration goes into ENVIRONMENTS below (after the modules whose values its
 *    `build` reads from `built`).
 * 4. `npm run docs:config` rewrites the README's configuration table from the rows;
 *    test/unit/configuration.spec.ts fails while the README and the declarations differ, and
 *    `npm run cli -- --help` lists the same rows.
 *
 * Start-up (loadAppConfig) validates every module's schema, then each module's `check`, and
 * throws one ConfigValidationError listing every problem; only then does it build AppConfig.
 * This file is outside the modules on purpose: src/config/ is imported by every module, so
 * it cannot import theirs.
 */
import { registerAs } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ACCESS_TOKENS_ENVIRONMENT } from './access-tokens/access-tokens.environment';
import { ACCOUNT_ENVIRONMENT } from './account/account.environment';
import { AUTH_ENVIRONMENT } from './auth/auth.environment';
import { AUTHORIZATION_ENVIRONMENT } from './authorization/authorization.environment';
import { BOTS_ENVIRONMENT } from './bots/bots.environment';
import { CLIENTS_ENVIRONMENT } from './clients/clients.environment';
import { AppConfig, APP_CONFIG_NAMESPACE, ConfigValidationError } from './config/app-config';
import type { EnvironmentRow, ModuleEnvironment } from './config/environment-declaration';
import { SERVER_ENVIRONMENT } from './config/server.environment';
import { DATABASE_ENVIRONMENT } from './database/database.environment';
import { DEVICE_AUTHORIZATION_ENVIRONMENT } from './device-authorization/device-authorization.environment';
import { GRANTS_ENVIRONMENT } from './grants/grants.environment';
import { HOUSEKEEPING_ENVIRONMENT } from './housekeeping/housekeeping.environment';
import { IMPERSONATION_ENVIRONMENT } from './impersonation/impersonation.environment';
import { MFA_ENVIRONMENT } from './mfa/mfa.environment';
import { METRICS_ENVIRONMENT } from './metrics/metrics.environment';
import { OAUTH_ENVIRONMENT } from './oauth/oauth.environment';
import { OUTBOX_ENVIRONMENT } from './outbox/outbox.environment';
import { PERSONAL_TOKENS_ENVIRONMENT } from './personal-tokens/personal-tokens.environment';
import { RATE_LIMITS_ENVIRONMENT } from './rate-limits/rate-limits.environment';
import { REDIS_ENVIRONMENT } from './redis/redis.environment';
import { SESSIONS_ENVIRONMENT } from './sessions/sessions.environment';
import { SIGNING_KEYS_ENVIRONMENT } from './signing-keys/signing-keys.environment';
import { SSO_ENVIRONMENT } from './sso/sso.environment';
import { USERS_ENVIRONMENT } from './users/users.environment';

/** Every module's environment, in the order of the README table (and of `build`). */
export const ENVIRONMENTS: readonly ModuleEnvironment[] = [
  SERVER_ENVIRONMENT,
  DATABASE_ENVIRONMENT,
  SESSIONS_ENVIRONMENT,
  USERS_ENVIRONMENT,
  REDIS_ENVIRONMENT,
  RATE_LIMITS_ENVIRONMENT,
  METRICS_ENVIRONMENT,
  HOUSEKEEPING_ENVIRONMENT,
  AUTH_ENVIRONMENT,
  PERSONAL_TOKENS_ENVIRONMENT,
  BOTS_ENVIRONMENT,
  IMPERSONATION_ENVIRONMENT,
  ACCESS_TOKENS_ENVIRONMENT,
  CLIENTS_ENVIRONMENT,
  OAUTH_ENVIRONMENT,
  GRANTS_ENVIRONMENT,
  AUTHORIZATION_ENVIRONMENT,
  SIGNING_KEYS_ENVIRONMENT,
  DEVICE_AUTHORIZATION_ENVIRONMENT,
  ACCOUNT_ENVIRONMENT,
  OUTBOX_ENVIRONMENT,
  SSO_ENVIRONMENT,
  MFA_ENVIRONMENT,
];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Merges a module's slice into the config built so far: objects field by field, other values whole. */
function mergeInto(target: Record<string, unknown>, slice: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(slice)) {
    const had = target[key];
    if (isPlainObject(had) && isPlainObject(value)) mergeInto(had, value);
    else target[key] = value;
  }
}

/** Validates the environment and builds AppConfig, or throws one ConfigValidationError listing every problem. */
export function loadAppConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const validated = ENVIRONMENTS.map((declaration) => {
    const env = plainToInstance(declaration.schema, { ...source }, { enableImplicitConversion: false }) as object;
    const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
    problems.push(...errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`)));
    return { declaration, env };
  });
  for (const { declaration, env } of validated) problems.push(...(declaration.check?.(env, source) ?? []));
  if (problems.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const built = {} as AppConfig;
  for (const { declaration, env } of validated) mergeInto(built as unknown as Record<string, unknown>, declaration.build(env, built));
  return built;
}

/** The first cell of a row: its label, or its variables. */
function rowLabel(row: EnvironmentRow): string {
  return row.label ?? `${row.names.map((n) => `\`${n}\``).join(' / ')}${row.secret ? ' *(secret)*' : ''}`;
}

/** The README's configuration table (Markdown), generated from the declarations. */
export function configurationTable(): string {
  const rows = ENVIRONMENTS.flatMap((d) => d.rows).map((r) => `| ${rowLabel(r)} | ${r.default} | ${r.meaning} |`);
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The same rows as plain text for `--help`: one line per row, its default, then its meaning indented. */
export function configurationHelp(): string[] {
  const plain = (md: string) => md.replace(/`/g, '').replace(/\*\(secret\)\*/g, '(secret)');
  return ENVIRONMENTS.flatMap((d) => d.rows).flatMap((r) => [
    `  ${plain(rowLabel(r))}  [default: ${plain(r.default)}]`,
    `      ${plain(r.meaning)}`,
  ]);
}

/** The typed config for Nest (`@Inject(APP_CONFIG)`). */
export const appConfig = registerAs(APP_CONFIG_NAMESPACE, () => loadAppConfig(process.env));
