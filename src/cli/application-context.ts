import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * Boots the same AppModule as the server (config, migrations, services) without HTTP, runs
 * `fn`, and closes it. Nest's own logs stay off: the CLI prints its results itself, and
 * abortOnError=false lets start-up failures reach the caller instead of exiting silently.
 */
export async function withApplicationContext<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  // Loaded lazily so that --help and key:generate start fast and need no configuration.
  const { AppModule } = await import('../app.module');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
