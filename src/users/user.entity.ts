import { Column, Entity, Index } from 'typeorm';
import { UuidPrimaryColumn } from '../database/entity-columns';

export type UserStatus = 'active' | 'disabled';
/** `bot`: an integration's identity (bots module); it has no password and never signs in. */
export type UserKind = 'person' | 'bot';

const rolesTransformer = {
  to: (roles: string[]) => roles.join(','),
  from: (value: string | null) => (value ? value.split(',').filter(Boolean) : []),
};

@Index('uq_users_email', ['email'], { unique: true })
@Entity('users')
export class User {
  @UuidPrimaryColumn()
  id: string;

  /** Stored lower-cased: uniqueness is case-insensitive on every driver. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  status: UserStatus;

  @Column({ type: 'varchar', length: 16, default: 'person' })
  kind: UserKind;

  @Column({ type: 'varchar', length: 255, transformer: rolesTransformer })
  roles: string[];

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
