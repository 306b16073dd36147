import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { User } from '../users/user.entity';
import { MintedTokenColumns } from './minted-token.columns';

/** A personal access token: acts as the user who made it. */
@Index('uq_pat_token_hash', ['tokenHash'], { unique: true })
@Index('ix_pat_user', ['userId', 'createdAt'])
@Index('ix_pat_expires', ['expiresAt'])
@Index('ix_pat_revoked', ['revokedAt'])
@Entity('personal_access_tokens')
export class PersonalToken extends MintedTokenColumns {
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
