// Shared by the interop tests: the real app on a known free port, so that PUBLIC_URL (the
// issuer) equals the URL openid-client fetches. Exports only functions (node --test may load it).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** A free port of 127.0.0.1, picked up front. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts the real app (src/app.factory via ts-node) on a temp SQLite file, or on DATABASE_URL
 * when it is mysql://. Returns the Nest app, its issuer URL, `load` (require from src/) and close().
 */
export async function startInteropApp(env = {}) {
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  require('reflect-metadata');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const mysql = process.env.DATABASE_URL?.startsWith('mysql://');
  const sqliteFile = mysql ? undefined : join(tmpdir(), `gatehouse-interop-${randomUUID()}.sqlite`);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PASSWORD_SCRYPT_LOG_N: '12',
    PUBLIC_URL: issuer,
    ...(sqliteFile ? { DATABASE_URL: `sqlite:${sqliteFile}` } : {}),
    ...env,
  });
  const load = (path) => require(`../../../src/${path}`);
  const app = await load('app.factory').createApp();
  await app.listen(port, '127.0.0.1');
  return {
    app,
    issuer,
    load,
    close: async () => {
      await app.close();
      if (sqliteFile) for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) rmSync(f, { force: true });
    },
  };
}
