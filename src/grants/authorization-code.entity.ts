import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { Client } from '../clients/client.entity';
import { User } from '../users/user.entity';
import { BoolColumn, UuidPrimaryColumn } from '../database/entity-columns';
import { scopeListTransformer } from '../oauth/scope-list';

/**
 * A single-use authorization code (RFC 6749 §4.1.2), bound to everything the token request
 * must repeat or prove: client, redirect URI, PKCE challenge, user and scopes. Only the
 * SHA-256 of the code is stored.
 */
@Index('uq_authorization_codes_hash', ['codeHash'], { unique: true })
@Index('ix_authorization_codes_user_client', ['userId', 'clientId'])
@Index('ix_authorization_codes_expires', ['expiresAt'])
@Entity('authorization_codes')
export class AuthorizationCode {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  /** The client's public client_id (clients.client_id). */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** Exactly as the authorization request carried it (or the single registered one). */
  @Column({ name: 'redirect_uri', type: 'varchar', length: 2000 })
  redirectUri: string;

  /** Whether the authorization request named the redirect URI: then the token request must too (RFC 6749 §4.1.3). */
  @BoolColumn('redirect_uri_given')
  redirectUriGiven: boolean;

  @Column({ type: 'varchar', length: 1000, transformer: scopeListTransformer })
  scopes: string[];

  /** Null only for a confidential client where configuration relaxes PKCE. Always S256 otherwise. */
  @Column({ name: 'code_challenge', type: 'varchar', length: 128, nullable: true })
  codeChallenge: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** Set once, by a conditional update: the code is spent. */
  @Column({ name: 'consumed_at', type: 'datetime', precision: 3, nullable: true })
  consumedAt: Date | null;

  /** The token family the redemption created, so a replay can revoke it (RFC 6749 §4.1.2). */
  @Column({ name: 'grant_id', type: 'varchar', length: 36, nullable: true })
  grantId: string | null;
}
