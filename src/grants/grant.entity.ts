import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { Client } from '../clients/client.entity';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { scopeListTransformer } from '../oauth/scope-list';

/**
 * A refresh-token family: everything issued from one authorization code and its rotations.
 * Reuse of a rotated refresh token revokes exactly this family (RFC 9700 §4.14.2).
 */
@Index('ix_authorization_grants_user_client', ['userId', 'clientId'])
@Index('ix_authorization_grants_expires', ['expiresAt'])
@Index('ix_authorization_grants_revoked', ['revokedAt'])
@Entity('authorization_grants')
export class Grant {
  @UuidPrimaryColumn()
  id: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** The client's public client_id (clients.client_id). */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  /** What the user granted. Refresh may narrow an access token's scopes, never widen past these. */
  @Column({ type: 'varchar', length: 1000, transformer: scopeListTransformer })
  scopes: string[];

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** Absolute end of the family: rotation never extends past it. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  /** Why it was revoked: `refresh_reuse`, `code_reuse`, `user_revoked`, `client_revoked`. */
  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;
}
