import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toBool, toInt } from '../config/environment-declaration';

/** The SSO module's environment variables and their validation; the defaults are in `build` below. */
export class SsoEnvironment {
  /** How long one request to an IdP may take (discovery, JWKS, token, UserInfo). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  SSO_HTTP_TIMEOUT_SECONDS?: number;

  /** How long a started SSO sign-in (its sealed state cookie) stays usable. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  SSO_STATE_TTL_SECONDS?: number;

  /** Allows http:// issuers (development and tests only; refused in production). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SSO_ALLOW_INSECURE_HTTP?: boolean;
}

/** Enterprise single sign-on (docs/sso.md). Connections themselves live in the database, managed by admins. */
export const SSO_ENVIRONMENT = defineEnvironment({
  module: 'sso',
  schema: SsoEnvironment,
  rows: [
    {
      names: ['SSO_HTTP_TIMEOUT_SECONDS'],
      default: '`5`',
      meaning:
        'bound on each request to an upstream IdP (discovery, keys, token, UserInfo; a callback makes at most four); a slower IdP gives a 504 page (docs/sso.md)',
    },
    {
      names: ['SSO_STATE_TTL_SECONDS'],
      default: '`600`',
      meaning: 'how long a started single sign-on may take before its callback is refused',
    },
    {
      names: ['SSO_ALLOW_INSECURE_HTTP'],
      default: '`false`',
      meaning: 'allow `http://` issuers (development and tests only; refused when `NODE_ENV=production`)',
    },
  ],
  check: (env, source) =>
    source.NODE_ENV === 'production' && env.SSO_ALLOW_INSECURE_HTTP
      ? ['SSO_ALLOW_INSECURE_HTTP: not allowed when NODE_ENV=production (an IdP is reached over https only)']
      : [],
  build: (env) => ({
    sso: {
      httpTimeoutSeconds: env.SSO_HTTP_TIMEOUT_SECONDS ?? 5,
      stateTtlMs: (env.SSO_STATE_TTL_SECONDS ?? 600) * 1000,
      allowInsecureHttp: env.SSO_ALLOW_INSECURE_HTTP ?? false,
    },
  }),
});
