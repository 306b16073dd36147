import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { Client } from '../clients/client.entity';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';
import { scopeListTransformer } from '../oauth/scope-list';

/**
 * `pending` until the user decides; `approved` or `denied` by the user; `redeemed` once the
 * device has its tokens; `expired` once a device polled after `expires_at` (RFC 8628 §3.5).
 */
export type DeviceAuthorizationStatus = 'pending' | 'approved' | 'denied' | 'redeemed' | 'expired';

/**
 * One device authorization request (RFC 8628 §3.1–3.2): the device code the device polls with
 * and the user code the user types, both stored only as SHA-256, bound to the client and the
 * scopes it asked for; then the user's decision and the single redemption.
 */
@Index('uq_device_authorizations_device_code', ['deviceCodeHash'], { unique: true })
@Index('uq_device_authorizations_user_code', ['userCodeHash'], { unique: true })
@Index('ix_device_authorizations_expires', ['expiresAt'])
@Entity('device_authorizations')
export class DeviceAuthorization {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'device_code_hash', type: 'varchar', length: 64 })
  deviceCodeHash: string;

  /** SHA-256 of the normalised user code (8 letters, no dash). */
  @Column({ name: 'user_code_hash', type: 'varchar', length: 64 })
  userCodeHash: string;

  /** The client's public client_id (clients.client_id). */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  /** Requested; narrowed to what the user holds when they approve. */
  @Column({ type: 'varchar', length: 1000, transformer: scopeListTransformer })
  scopes: string[];

  @Column({ type: 'varchar', length: 16 })
  status: DeviceAuthorizationStatus;

  /** Seconds the device must wait between polls; each slow_down adds 5 (RFC 8628 §3.5). */
  @Column({ name: 'interval_seconds', type: 'integer' })
  intervalSeconds: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'last_polled_at', type: 'datetime', precision: 3, nullable: true })
  lastPolledAt: Date | null;

  /** Who approved or denied it. */
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true })
  decidedAt: Date | null;

  /** Set once, by a conditional update: the device code is spent. */
  @Column({ name: 'redeemed_at', type: 'datetime', precision: 3, nullable: true })
  redeemedAt: Date | null;

  /** The refresh-token family the redemption started. */
  @Column({ name: 'grant_id', type: 'varchar', length: 36, nullable: true })
  grantId: string | null;
}
