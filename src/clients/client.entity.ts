import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { BoolColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';
import type { AccessTokenFormat, ClientStatus, ClientType, GrantType, JwtSigningAlg } from './client-types';

/** Space-separated lists, as OAuth writes scopes and grant types. */
export const spaceList = {
  to: (v: string[]) => v.join(' '),
  from: (v: string | null) => (v ? v.split(' ').filter(Boolean) : []),
};
const jsonList = {
  to: (v: string[]) => JSON.stringify(v),
  from: (v: string | null) => (v ? (JSON.parse(v) as string[]) : []),
};

/** An OAuth client registration. Confidential clients hold secrets (see ClientSecret). */
@Index('ix_clients_owner', ['ownerId', 'createdAt'])
@Index('uq_clients_resource_uri', ['resourceUri'], { unique: true })
@Entity('clients')
export class Client {
  /** The public, unguessable `client_id`. */
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'client_type', type: 'varchar', length: 16 })
  type: ClientType;

  /** Matched later by exact string comparison; JSON because a URI may contain spaces-free anything. */
  @Column({ name: 'redirect_uris', type: 'text', transformer: jsonList })
  redirectUris: string[];

  @Column({ name: 'grant_types', type: 'varchar', length: 255, transformer: spaceList })
  grantTypes: GrantType[];

  /** Also the default scopes when a token request omits `scope`. */
  @Column({ name: 'allowed_scopes', type: 'varchar', length: 1000, transformer: spaceList })
  allowedScopes: string[];

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'varchar', length: 16 })
  status: ClientStatus;

  /** A resource server that may introspect any token (RFC 7662 §4). Set by admins only. */
  @BoolColumn('introspection_allowed', { default: false })
  introspectionAllowed: boolean;

  /** `opaque` (`ghat_…`, the default) or `jwt` (RFC 9068, signed with `accessTokenAlg`). Set by admins. */
  @Column({ name: 'access_token_format', type: 'varchar', length: 8, default: 'opaque' })
  accessTokenFormat: AccessTokenFormat;

  @Column({ name: 'access_token_alg', type: 'varchar', length: 8, default: 'ES256' })
  accessTokenAlg: JwtSigningAlg;

  /** For a resource server: the RFC 8707 resource indicator (absolute URI) that names it in `aud`. */
  @Column({ name: 'resource_uri', type: 'varchar', length: 255, nullable: true })
  resourceUri: string | null;

  /**
   * The client's credential epoch (issue 22 §1): moved when the client is disabled. Codes,
   * device codes, refresh families and access tokens issued to it before it stay refused after
   * the client is enabled again (see users/credential-epoch.ts). Null until first moved.
   */
  @Column({ name: 'credentials_revoked_at', type: 'datetime', precision: 3, nullable: true })
  credentialsRevokedAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
