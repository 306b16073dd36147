import { createConnection } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { AuditEvent } from '../../../src/audit/audit-event.entity';
import { startTestApp, TestApp } from './test-app';
import { signedInUser, TestUser } from './users.fixture';

export type SignedIn = TestUser & { cookie: string };

/** A signed-in admin: the actor of admin tests. */
export function signedInAdmin(t: TestApp): Promise<SignedIn> {
  return signedInUser(t, { roles: ['admin'] });
}

/** Audit rows written by one actor (on MySQL the table is shared: always narrow by actor or target). */
export function auditByActor(t: TestApp, actorId: string, action?: string): Promise<AuditEvent[]> {
  return t.dataSource.getRepository(AuditEvent).find({ where: { actorId, ...(action ? { action } : {}) }, order: { occurredAt: 'ASC' } });
}

export function auditForTarget(t: TestApp, targetId: string, action?: string): Promise<AuditEvent[]> {
  return t.dataSource.getRepository(AuditEvent).find({ where: { targetId, ...(action ? { action } : {}) }, order: { occurredAt: 'ASC' } });
}

export function detailsOf(e: AuditEvent): Record<string, unknown> {
  return e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {};
}

/**
 * An app on a database of its own, for tests about global state (e.g. "the last active admin")
 * that other test files sharing the MySQL database would disturb. SQLite is per-app anyway; on
 * MySQL a throwaway database is created (the app migrates it at start) and dropped at close.
 */
export async function startIsolatedTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const shared = process.env.DATABASE_URL;
  if (!shared?.startsWith('mysql://')) return startTestApp(env);
  const name = `gatehouse_iso_${randomUUID().slice(0, 8)}`;
  const admin = await createConnection({ uri: shared });
  await admin.query(`CREATE DATABASE \`${name}\``);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const t = await startTestApp({ ...env, DATABASE_URL: url.toString() });
  return {
    ...t,
    close: async () => {
      await t.close();
      await admin.query(`DROP DATABASE \`${name}\``);
      await admin.end();
    },
  };
}
