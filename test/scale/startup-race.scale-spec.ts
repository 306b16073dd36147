import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, Instance, queryRows, startInstances } from './support/instance';

/**
 * Issue 22 §4: the work done once at startup (migrations, the bootstrap admin, the first signing
 * key of each algorithm) is idempotent when instances start at the same moment on an empty
 * database, as a first Compose deployment with replicas does: every instance becomes healthy,
 * and there is one admin and one first key per algorithm. 3 instances on each driver: MariaDB or
 * PostgreSQL (DATABASE_URL; CI runs this file on both), and SQLite as 3 processes on one file.
 */
const BOOTSTRAP = { BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', BOOTSTRAP_ADMIN_PASSWORD: 'a long bootstrap password' };

async function signInWorks(i: Instance): Promise<boolean> {
  const res = await i.http.post('/auth/login', {
    json: { email: BOOTSTRAP.BOOTSTRAP_ADMIN_EMAIL, password: BOOTSTRAP.BOOTSTRAP_ADMIN_PASSWORD },
    origin: i.url,
  });
  return res.status < 400;
}

async function jwksAlgs(i: Instance): Promise<string[]> {
  const body = JSON.parse((await i.http.get('/.well-known/jwks.json')).text) as { keys: { kid: string; alg: string }[] };
  return body.keys.map((k) => `${k.alg}:${k.kid}`).sort();
}

describe('N instances starting together on an empty database', () => {
  it('MariaDB or PostgreSQL (DATABASE_URL): 3 instances all become healthy, with one bootstrap admin and one first signing key per algorithm', async () => {
    const url = await freshDatabase('startup_race');
    const instances = await startInstances([0, 1, 2].map(() => ({ ...BOOTSTRAP, DATABASE_URL: url })));
    try {
      for (const i of instances) expect((await i.http.get('/health/ready')).status).toBe(200);
      const admins = await queryRows<{ roles: string }>(url, 'SELECT roles FROM users WHERE email = ?', [BOOTSTRAP.BOOTSTRAP_ADMIN_EMAIL]);
      const keys = await queryRows<{ alg: string; genesis: string }>(url, 'SELECT alg, genesis FROM signing_keys ORDER BY alg');
      expect(admins).toHaveLength(1);
      expect(admins[0].roles).toContain('admin');
      expect(keys).toEqual([
        { alg: 'ES256', genesis: 'ES256' },
        { alg: 'RS256', genesis: 'RS256' },
      ]);
      // Every instance publishes the same two keys, and the admin signs in on each.
      const published = await Promise.all(instances.map(jwksAlgs));
      for (const p of published) expect(p).toEqual(published[0]);
      expect(published[0]).toHaveLength(2);
      for (const i of instances) expect(await signInWorks(i)).toBe(true);
      for (const i of instances) expect(i.output()).not.toMatch(/already exists|Error/);
    } finally {
      expect(await Promise.all(instances.map((i) => i.stop()))).toEqual([0, 0, 0]);
    }
  });

  it('SQLite: 3 processes on one new file all become healthy, with one bootstrap admin and one first signing key per algorithm', async () => {
    const file = join(tmpdir(), `gatehouse-startup-race-${randomUUID()}.sqlite`);
    const instances = await startInstances([0, 1, 2].map(() => ({ ...BOOTSTRAP, DATABASE_URL: `sqlite:${file}` })));
    try {
      for (const i of instances) expect((await i.http.get('/health/ready')).status).toBe(200);
      const db = new Database(file, { readonly: true });
      const admins = db.prepare('SELECT roles FROM users WHERE email = ?').all(BOOTSTRAP.BOOTSTRAP_ADMIN_EMAIL) as { roles: string }[];
      const keys = db.prepare('SELECT alg, genesis FROM signing_keys ORDER BY alg').all();
      db.close();
      expect(admins).toHaveLength(1);
      expect(admins[0].roles).toContain('admin');
      expect(keys).toEqual([
        { alg: 'ES256', genesis: 'ES256' },
        { alg: 'RS256', genesis: 'RS256' },
      ]);
      const published = await Promise.all(instances.map(jwksAlgs));
      for (const p of published) expect(p).toEqual(published[0]);
      expect(published[0]).toHaveLength(2);
      for (const i of instances) expect(await signInWorks(i)).toBe(true);
      for (const i of instances) expect(i.output()).not.toMatch(/already exists|Error/);
    } finally {
      expect(await Promise.all(instances.map((i) => i.stop()))).toEqual([0, 0, 0]);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
  });
});
