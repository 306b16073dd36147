import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BoolColumn, UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';

const transportsTransformer = {
  to: (t: string[]) => t.join(','),
  from: (v: string | null) => (v ? v.split(',').filter(Boolean) : []),
};

/**
 * A WebAuthn credential (passkey) a person registered: what verifies their assertions
 * (credential id, COSE public key, sign counter) and what the account page shows about it.
 */
@Index('uq_passkeys_credential', ['credentialIdHash'], { unique: true })
@Index('ix_passkeys_user', ['userId', 'createdAt', 'id'])
@Entity('passkeys')
export class Passkey {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The person's label ("Laptop", "YubiKey 5C"). */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** SHA-256 (hex) of the credential id: the unique lookup key (an id may be 1023 bytes). */
  @Column({ name: 'credential_id_hash', type: 'varchar', length: 64 })
  credentialIdHash: string;

  /** The credential id, base64url. */
  @Column({ name: 'credential_id', type: 'varchar', length: 1400 })
  credentialId: string;

  /** The COSE public key, base64url. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  /** The authenticator's signature counter at the last use (0 when it keeps none). An unsigned 32-bit value. */
  @Column({ name: 'sign_count', type: 'double' })
  signCount: number;

  /** The transports the authenticator reported (`internal`, `hybrid`, `usb`, …). */
  @Column({ type: 'varchar', length: 255, transformer: transportsTransformer })
  transports: string[];

  /** The authenticator model's AAGUID (all zeros when it did not say). */
  @Column({ type: 'varchar', length: 36 })
  aaguid: string;

  /** BE flag: the credential may be synced to other devices (a "multi-device" passkey). */
  @BoolColumn('backup_eligible')
  backupEligible: boolean;

  /** BS flag at the last use: the credential is currently backed up. */
  @BoolColumn('backed_up')
  backedUp: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'datetime', precision: 3, nullable: true })
  lastUsedAt: Date | null;
}
