import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { Client, spaceList } from '../clients/client.entity';
import { User } from '../users/user.entity';

/**
 * An OAuth access token. Opaque ones store the SHA-256 of the token; JWT ones (RFC 9068) the
 * SHA-256 of their `jti`, so revocation and introspection work the same for both.
 */
@Index('uq_oauth_access_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_oauth_access_tokens_client', ['clientId'])
@Index('ix_oauth_access_tokens_grant', ['grantId'])
@Index('ix_oauth_access_tokens_user', ['userId'])
@Index('ix_oauth_access_tokens_expires', ['expiresAt'])
@Entity('oauth_access_tokens')
export class AccessToken {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  /** The user the token acts for; null when the client acts as itself (client_credentials). */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User | null;

  /** The code-flow grant this token descends from, so a whole family can be revoked. */
  @Column({ name: 'grant_id', type: 'varchar', length: 36, nullable: true })
  grantId: string | null;

  /** What was granted; effective scopes are computed at request time. */
  @Column({ type: 'varchar', length: 1000, transformer: spaceList })
  scopes: string[];

  /** The RFC 8707 resource the token is for (`aud`); null = Gatehouse's own API. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  audience: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
