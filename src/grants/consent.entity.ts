import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { Client } from '../clients/client.entity';
import { UuidPrimaryColumn } from '../database/entity-columns';
import { scopeListTransformer } from '../oauth/scope-list';

/**
 * What a user has approved for a client: one row per (user, client). A later request for a
 * subset skips the consent page; revoking deletes the row.
 */
@Index('uq_consents_user_client', ['userId', 'clientId'], { unique: true })
@Entity('consents')
export class Consent {
  @UuidPrimaryColumn()
  id: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** The client's public client_id (clients.client_id). */
  @ForeignKey(() => Client, { onDelete: 'CASCADE' })
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ type: 'varchar', length: 1000, transformer: scopeListTransformer })
  scopes: string[];

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
