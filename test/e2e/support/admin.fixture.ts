import { AuditEvent } from '../../../src/audit/audit-event.entity';
import type { TestApp } from './test-app';
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
