import { Column, Entity, Index } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';

/**
 * One message of the transactional outbox (issue 22 §3): work a request hands off instead of
 * doing it inline (sending mail), delivered by OutboxService with retries and backoff. The
 * payload is sealed at rest (it can hold a reset link) and emptied once delivered or dropped.
 */
@Index('ix_outbox_messages_due', ['doneAt', 'nextAttemptAt'])
@Entity('outbox_messages')
export class OutboxMessage {
  @UuidPrimaryColumn()
  id: string;

  /** Which handler delivers it, e.g. `mail.password_reset`. */
  @Column({ type: 'varchar', length: 64 })
  topic: string;

  /** The JSON payload as a compact JWE (dir + A256GCM); empty once done. */
  @Column({ name: 'payload_sealed', type: 'text' })
  payloadSealed: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** Past this, it is dropped undelivered (a reset link that has expired is worth nothing). */
  @Column({ name: 'not_after', type: 'datetime', precision: 3, nullable: true })
  notAfter: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 })
  nextAttemptAt: Date;

  /** An instance working on it holds it until then (a crashed one's claim lapses). */
  @Column({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true })
  lockedUntil: Date | null;

  /** Delivered, or dropped (expired, no handler, too many attempts): see `outcome`. */
  @Column({ name: 'done_at', type: 'datetime', precision: 3, nullable: true })
  doneAt: Date | null;

  /** `delivered`, `expired` or `gave_up`; null while pending. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: string | null;

  /** The last failure's message (never the payload). */
  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError: string | null;
}
