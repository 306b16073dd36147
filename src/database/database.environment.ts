import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { parseDatabaseUrl } from '../config/app-config';
import { defineEnvironment, toBool } from '../config/environment-declaration';

/** The database module's environment variables and their validation; the defaults are in `build` below. */
export class DatabaseEnvironment {
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db',
  })
  DATABASE_URL?: string;

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
    { names: ['DATABASE_URL'], default: '`sqlite:data/gatehouse.sqlite`', meaning: '`sqlite:<path>` or `mysql://user:pass@host:3306/db`' },
    {
      names: ['DB_MIGRATIONS_RUN'],
      default: '`true`',
      meaning: 'apply pending migrations at start-up; `false` if you run `npm run migration:run` yourself',
    },
  ],
  build: (env) => ({ database: parseDatabaseUrl(env.DATABASE_URL), migrationsRun: env.DB_MIGRATIONS_RUN ?? true }),
});
