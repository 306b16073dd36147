import { createScratchDatabase, sharedDatabaseUrl } from '../../support/shared-database';
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
 * that other test files sharing the server database would disturb. SQLite is per-app anyway; on
 * MySQL/PostgreSQL a throwaway database is created (the app migrates it at start) and dropped at close.
 */
export async function startIsolatedTestApp(env: Record<string, string> = {}, opts: { port?: number } = {}): Promise<TestApp> {
  const shared = sharedDatabaseUrl();
  if (!shared) return startTestApp(env, opts);
  const scratch = await createScratchDatabase(shared, 'gatehouse_iso');
  const t = await startTestApp({ ...env, DATABASE_URL: scratch.url }, opts);
  return {
    ...t,
    close: async () => {
      await t.close();
      await scratch.drop();
    },
  };
}
