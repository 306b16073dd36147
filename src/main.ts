import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { stopGracefullyOnSignals } from './common/graceful-shutdown';
import { APP_CONFIG, AppConfig, ConfigValidationError } from './config/app-config';
import { loadAppConfig } from './configuration';
import { checkDatabaseReachable, DatabaseUnavailableError } from './database/database-preflight';
import { UsersService } from './users/users.service';

async function main(): Promise<void> {
  await checkDatabaseReachable(loadAppConfig(process.env).database);
  const app = await createApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  const log = new Logger('Gatehouse');
  stopGracefullyOnSignals(app, config.shutdownGraceMs, log);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  // One URL for people: PUBLIC_URL (the bound address is a detail, for the logs).
  log.log(`Gatehouse is running at ${config.publicUrl} (listening on ${url}; database ${config.database.type})`);
  if (config.session.keysGenerated) {
    log.warn(
      'SESSION_KEYS is not set: using a key generated for this process, so sessions end when it restarts. Set SESSION_KEYS in production.',
    );
  }
  const adminExists = await app.get(UsersService).activeAdminExists();
  if (!adminExists) {
    log.warn(`No active admin yet: create one with \`${CREATE_ADMIN}\` (or set BOOTSTRAP_ADMIN_EMAIL/PASSWORD)`);
  }
  // JSON logs are for machines; a person at a terminal also gets the essentials in plain words.
  if (process.stdout.isTTY) printBanner(config, adminExists);
}

const CREATE_ADMIN = 'npm run cli -- user:create --email you@example.com --name "Your Name" --admin';

function printBanner(config: AppConfig, adminExists: boolean): void {
  const db =
    config.database.type === 'sqlite'
      ? `SQLite file ${config.database.path}`
      : config.database.type === 'postgres'
        ? 'PostgreSQL (DATABASE_URL)'
        : 'MySQL (DATABASE_URL)';
  const lines = [
    '',
    `  Gatehouse is running at ${config.publicUrl} (${db})`,
    `  Sign in:   ${config.publicUrl}/login`,
    `  API docs:  ${config.publicUrl}/docs`,
    ...(adminExists
      ? []
      : [
          '  No admin account yet. In another terminal run',
          `    ${CREATE_ADMIN}`,
          '  It prints a generated password once; then sign in with it.',
        ]),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  // A configuration or database problem is the operator's to fix: print it plainly, without a stack.
  if (err instanceof ConfigValidationError || err instanceof DatabaseUnavailableError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
