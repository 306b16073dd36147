import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDatabaseUrl } from '../../support/shared-database';

const ROOT = join(__dirname, '..', '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The database a CLI test shares with its app: the suite's MySQL or PostgreSQL when DATABASE_URL names one,
 * else a SQLite file of its own (remove it with `dispose`).
 */
export function cliDatabase(name: string): { url: string; dispose(): void } {
  const sharedUrl = sharedDatabaseUrl();
  const file = sharedUrl ? undefined : join(tmpdir(), `gatehouse-${name}-${randomUUID()}.sqlite`);
  return {
    url: sharedUrl ?? `sqlite:${file}`,
    dispose: () => {
      if (file) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    },
  };
}

/** Runs the operators' CLI as an operator would (ts-node, transpile only), in its own process. */
export function runCli(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TS_NODE, '--transpile-only', 'src/cli/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
