import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { Grant } from './grant.entity';
import { Client } from '../clients/client.entity';
import { UuidPrimaryColumn } from '../database/entity-columns';

/**
 * One refresh token of a family. Each use rotates it: `rotated_at` is set by a conditional
 * update, so exactly one of concurrent uses wins, and any later use is reuse.
 */
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_refresh_tokens_grant', ['grantId'])
@Index('ix_refresh_tokens_expires', ['expiresAt'])
@Index('ix_refresh_tokens_revoked', ['revokedAt'])
@Index('ix_refresh_tokens_rotated', ['rotatedAt'])
@Entity('refresh_tokens')
export class RefreshToken {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @ForeignKey(() => Grant, { onDelete: 'CASCADE' })
  @Column({ name: 'grant_id', type: 'varchar', length: 36 })
  grantId: string;

  /** The client's client_id: the token is bound to it (RFC 6749 §6). */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** The idle limit, capped by the family's absolute end. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'rotated_at', type: 'datetime', precision: 3, nullable: true })
  rotatedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
