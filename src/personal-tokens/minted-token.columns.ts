import { Column } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';

const scopesTransformer = {
  to: (scopes: string[]) => scopes.join(' '),
  from: (value: string | null) => (value ? value.split(' ').filter(Boolean) : []),
};

/**
 * The columns every token a person mints has (PATs, bot tokens), each in its own module's
 * table. Only the SHA-256 is stored; the plaintext is shown once at creation.
 */
export abstract class MintedTokenColumns {
  @UuidPrimaryColumn()
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The prefix and last four characters (redactToken), so people can tell their tokens apart. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  /** Space-separated, as OAuth writes scopes. What was granted, not what is effective today. */
  @Column({ type: 'varchar', length: 1000, transformer: scopesTransformer })
  scopes: string[];

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** Null only where configuration allows tokens that never expire. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'datetime', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'last_used_ip', type: 'varchar', length: 64, nullable: true })
  lastUsedIp: string | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
