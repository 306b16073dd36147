import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { defineEnvironment, toBool } from '../config/environment-declaration';

/** The authorization module's environment variables and their validation; the defaults are in `build` below. */
export class AuthorizationEnvironment {
  /** PKCE is always required for public clients; this relaxes it for confidential ones only. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  PKCE_REQUIRED_FOR_CONFIDENTIAL?: boolean;
}

/** The authorization endpoint. */
export const AUTHORIZATION_ENVIRONMENT = defineEnvironment({
  module: 'authorization',
  schema: AuthorizationEnvironment,
  rows: [{ names: ['PKCE_REQUIRED_FOR_CONFIDENTIAL'], default: '`true`', meaning: 'require PKCE from confidential clients too' }],
  build: (env) => ({ codeFlow: { pkceRequiredForConfidential: env.PKCE_REQUIRED_FOR_CONFIDENTIAL ?? true } }),
});
