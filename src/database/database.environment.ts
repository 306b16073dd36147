import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { parseDatabaseUrl } from '../config/app-config';
import { defineEnvironment, toBool, toInt } from '../config/environment-declaration';

/** The database module's environment variables and their validation; the defaults are in `build` below. */
export class DatabaseEnvironment {
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path>, mysql://user:pass@host:port/db or postgres://user:pass@host:port/db',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  DB_SSL_CA_FILE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(50)
  DB_GROUP_COMMIT_MS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN?: boolean;
}

/** The database connection and migrations. */
export const DATABASE_ENVIRONMENT = defineEnvironment({
  module: 'database',
  schema: DatabaseEnvironment,
  rows: [
    {
      names: ['DATABASE_URL'],
      default: '`sqlite:data/gatehouse.sqlite`',
      meaning:
        '`sqlite:<path>`, `mysql://user:pass@host:3306/db` or `postgres://user:pass@host:5432/db` (`postgresql://` too; `?sslmode=require`, `verify-ca` or `verify-full` for TLS)',
    },
    { names: ['DB_POOL_SIZE'], default: '`10`', meaning: 'connections per instance to MySQL/MariaDB or PostgreSQL (1–200)' },
    {
      names: ['DB_STATEMENT_TIMEOUT_MS'],
      default: '`30000`',
      meaning: 'PostgreSQL: milliseconds after which the server cancels a statement (`0`: never; migrations run without it)',
    },
    {
      names: ['DB_SSL_CA_FILE'],
      default: 'unset',
      meaning:
        'PostgreSQL: PEM file of the CA that signed the server certificate (implies `sslmode=verify-full` unless the URL says otherwise)',
    },
    {
      names: ['DB_GROUP_COMMIT_MS'],
      default: '`2`',
      meaning:
        'group commit of token issuance: the token and audit rows of concurrent requests are written in one transaction every this many milliseconds (or 200 rows), each request answered after its commit (0–50; `0`: off, one transaction per request)',
    },
    {
      names: ['DB_MIGRATIONS_RUN'],
      default: '`true`',
      meaning: 'apply pending migrations at start-up; `false` if you run `npm run migration:run` yourself',
    },
  ],
  build: (env) => ({
    database: parseDatabaseUrl(env.DATABASE_URL, {
      poolSize: env.DB_POOL_SIZE,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      caFile: env.DB_SSL_CA_FILE,
    }),
    migrationsRun: env.DB_MIGRATIONS_RUN ?? true,
    groupCommitMs: env.DB_GROUP_COMMIT_MS ?? 2,
  }),
});
