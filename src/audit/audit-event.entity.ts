import { Column, Entity, Index } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';

export type AuditOutcome = 'success' | 'denied' | 'failed';
/** `operator`: someone running the CLI on the server; actor_id is their OS account. */
export type ActorType = 'user' | 'client' | 'anonymous' | 'operator';

/** Append-only: nothing updates or deletes these rows. */
@Index('ix_audit_time', ['occurredAt'])
@Index('ix_audit_actor', ['actorId', 'occurredAt'])
@Index('ix_audit_action', ['action', 'occurredAt'])
@Index('ix_audit_target', ['targetType', 'targetId', 'occurredAt'])
@Entity('audit_events')
export class AuditEvent {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: ActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ name: 'credential_kind', type: 'varchar', length: 16, nullable: true })
  credentialKind: string | null;

  @Column({ name: 'credential_id', type: 'varchar', length: 64, nullable: true })
  credentialId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: AuditOutcome;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  /** JSON; never credentials. */
  @Column({ type: 'text', nullable: true })
  details: string | null;
}
