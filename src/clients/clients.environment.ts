import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

/** The clients module's environment variables and their validation; the defaults are in `build` below. */
export class ClientsEnvironment {
  /** How long a rotated-out client secret keeps working, unless revoked at once. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(720)
  CLIENT_SECRET_ROTATION_GRACE_HOURS?: number;
}

/** Client secret rotation. */
export const CLIENTS_ENVIRONMENT = defineEnvironment({
  module: 'clients',
  schema: ClientsEnvironment,
  rows: [{ names: ['CLIENT_SECRET_ROTATION_GRACE_HOURS'], default: '`24`', meaning: 'how long a rotated-out client secret keeps working' }],
  build: (env) => ({ oauth: { clientSecretGraceMs: (env.CLIENT_SECRET_ROTATION_GRACE_HOURS ?? 24) * 3_600_000 } }),
});
