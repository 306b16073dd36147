import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app.factory';
import { sharedDatabaseUrl } from '../../support/shared-database';
import { HttpClient } from './http-client';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  http: HttpClient;
  dataSource: DataSource;
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

/**
 * Starts the real app on a random port. SQLite by default (a fresh file per call, so tests do
 * not share data); MySQL/MariaDB or PostgreSQL when DATABASE_URL points at one (the schema is set up once
 * by global-setup.js, and tests create their own rows with unique emails). `opts.root` replaces
 * AppModule, for tests that add a module to the app (examples/). `opts.port`: a port reserved with
 * `freePort()`, for tests whose PUBLIC_URL must name the real origin (an upstream IdP redirects back to it).
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { root?: Type; port?: number } = {}): Promise<TestApp> {
  const shared = sharedDatabaseUrl();
  const sqliteFile = shared ? undefined : join(tmpdir(), `gatehouse-test-${randomUUID()}.sqlite`);
  const vars: Record<string, string> = {
    DATABASE_URL: shared ?? `sqlite:${sqliteFile}`,
    PUBLIC_URL: 'http://127.0.0.1',
    ...env,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  let app: NestFastifyApplication;
  try {
    app = await createApp(opts.root);
    await app.listen(opts.port ?? 0, '127.0.0.1');
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    http: new HttpClient(baseUrl),
    dataSource: app.get(DataSource),
    get: <T>(token: unknown) => app.get(token as never) as T,
    close: async () => {
      await app.close();
      if (sqliteFile) for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) rmSync(f, { force: true });
    },
  };
}

/** A unique email, so tests never collide on a shared MySQL database. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A port free a moment ago (the OS picks it), for a server whose URL must be known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
