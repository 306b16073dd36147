import { Column, Entity, Index } from 'typeorm';
import { BoolColumn, UuidPrimaryColumn } from '../database/entity-columns';

/** Comma-separated lists (domains, roles, scopes) stored as one varchar. */
const listTransformer = {
  to: (items: string[]) => items.join(','),
  from: (value: string | null) => (value ? value.split(',').filter(Boolean) : []),
};

/**
 * An upstream OpenID Connect identity provider (Entra ID, Okta, Keycloak…) that people sign in
 * through. The client secret is sealed at rest (SecretSealer, purpose `sso-client-secret`, bound
 * to the row id) and never shown back.
 */
@Index('uq_sso_connections_slug', ['slug'], { unique: true })
@Entity('sso_connections')
export class SsoConnection {
  @UuidPrimaryColumn()
  id: string;

  /** In URLs: /auth/sso/<slug>/start and /auth/sso/<slug>/callback. */
  @Column({ type: 'varchar', length: 64 })
  slug: string;

  /** Shown on the button: "Sign in with <name>". */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The issuer identifier (OpenID Connect Discovery §4.3: the discovered `issuer` must equal it). */
  @Column({ type: 'varchar', length: 255 })
  issuer: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** Compact JWE (dir + A256GCM) of the client secret; never leaves the server. */
  @Column({ name: 'client_secret_sealed', type: 'text' })
  clientSecretSealed: string;

  /** Requested scopes; always includes `openid`. */
  @Column({ type: 'varchar', length: 500, transformer: listTransformer })
  scopes: string[];

  @Column({ name: 'email_claim', type: 'varchar', length: 64 })
  emailClaim: string;

  @Column({ name: 'name_claim', type: 'varchar', length: 64 })
  nameClaim: string;

  /** Email domains accepted from this IdP (lower-case); empty: any domain. Also routes home-realm discovery. */
  @Column({ name: 'allowed_domains', type: 'varchar', length: 1000, transformer: listTransformer })
  allowedDomains: string[];

  /** Domains whose people must sign in here: password sign-in and reset are refused for them. */
  @Column({ name: 'required_domains', type: 'varchar', length: 1000, transformer: listTransformer })
  requiredDomains: string[];

  /** Roles a just-in-time account gets. */
  @Column({ name: 'default_roles', type: 'varchar', length: 255, transformer: listTransformer })
  defaultRoles: string[];

  @BoolColumn('enabled')
  enabled: boolean;

  /** Link to an existing local account with the same email (only when `email_verified` is true too). */
  @BoolColumn('trust_email')
  trustEmail: boolean;

  /** An upstream `amr` containing `mfa` counts as the second factor (the MFA module reads it). */
  @BoolColumn('upstream_mfa')
  upstreamMfa: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
