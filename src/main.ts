import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { APP_CONFIG, AppConfig, ConfigValidationError } from './config/app-config';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  const log = new Logger('Gatehouse');
  log.log(`Gatehouse listening on ${url} (public URL ${config.publicUrl}; database ${config.database.type})`);
  log.log(`Sign in at ${config.publicUrl}/login, API docs at ${config.publicUrl}/docs`);
  if (config.session.keysGenerated) {
    log.warn('SESSION_KEYS is not set: using a key generated for this process, so sessions end when it restarts. Set SESSION_KEYS in production.');
  }
  if (!config.bootstrapAdmin) {
    log.log('No BOOTSTRAP_ADMIN_EMAIL set: create a user with `npm run cli -- user:create --email you@example.com --admin`');
  }
}

main().catch((err: unknown) => {
  // A configuration problem is the operator's to fix: print it plainly, without a stack.
  if (err instanceof ConfigValidationError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
