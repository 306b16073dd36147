import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { MintedTokenColumns } from '../personal-tokens/minted-token.columns';
import { User } from '../users/user.entity';

/** An impersonated (bot) access token: acts as the bot, minted by one of its managers. */
@Index('uq_bot_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_bot_tokens_bot', ['botId', 'createdAt'])
@Index('ix_bot_tokens_expires', ['expiresAt'])
@Index('ix_bot_tokens_revoked', ['revokedAt'])
@Entity('bot_tokens')
export class BotToken extends MintedTokenColumns {
  @Column({ name: 'bot_id', type: 'varchar', length: 36 })
  botId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id' })
  bot?: User;

  /** The person who created it; the token keeps working after they leave (no foreign key). */
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;
}
