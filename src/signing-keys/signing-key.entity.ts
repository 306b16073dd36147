import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A JWS signing key for JWT access tokens. The public JWK is published in the JWKS from
 * creation; the key signs from `activeFrom` (pre-publication) until a newer key of its
 * algorithm takes over, and stays published until the last token it signed has expired.
 */
@Index('ix_signing_keys_alg_active', ['alg', 'activeFrom'])
@Index('uq_signing_keys_genesis', ['genesis'], { unique: true })
@Entity('signing_keys')
export class SigningKey {
  /** RFC 7638 JWK thumbprint of the public key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  alg: string;

  /** The public JWK, JSON. */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk: string;

  /** The private JWK sealed as a compact JWE (dir + A256GCM) with the configured key. */
  @Column({ name: 'private_jwk_sealed', type: 'text' })
  privateJwkSealed: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'active_from', type: 'datetime', precision: 3 })
  activeFrom: Date;

  /**
   * The algorithm, on the first key of that algorithm only (null on rotated keys): a unique slot,
   * so instances starting together create exactly one first key (insert-or-ignore).
   */
  @Column({ type: 'varchar', length: 16, nullable: true })
  genesis: string | null;
}
