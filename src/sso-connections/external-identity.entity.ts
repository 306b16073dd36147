import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { User } from '../users/user.entity';
import { SsoConnection } from './sso-connection.entity';

/**
 * A person's account at an upstream IdP, linked to a Gatehouse user. Matched by `iss` + `sub`
 * only (OpenID Connect Core §5.7: the pair is the only stable identifier), never by email.
 */
@Index('uq_external_identities_subject', ['issuer', 'subject'], { unique: true })
@Index('ix_external_identities_user', ['userId'])
@Index('ix_external_identities_connection', ['connectionId'])
@Entity('external_identities')
export class ExternalIdentity {
  @UuidPrimaryColumn()
  id: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @ManyToOne(() => SsoConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id' })
  connection?: SsoConnection;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  issuer: string;

  @Column({ type: 'varchar', length: 255 })
  subject: string;

  /** The email the IdP gave at the last sign-in (it may change; matching never uses it). */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_sign_in_at', type: 'datetime', precision: 3 })
  lastSignInAt: Date;
}
