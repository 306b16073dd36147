import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { Client } from './client.entity';

/** A client secret. Only its SHA-256 is stored; the plaintext is shown once. */
@Index('uq_client_secrets_hash', ['secretHash'], { unique: true })
@Index('ix_client_secrets_client', ['clientId'])
@Entity('client_secrets')
export class ClientSecret {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  /** redactToken(): lets the owner tell secrets apart without seeing them. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** Null while current; the end of the grace period once rotated out. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
