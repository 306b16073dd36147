import { Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** One person of a bot's owner team: they may change the bot and manage its tokens. */
@Index('ix_bot_managers_user', ['userId'])
@Entity('bot_managers')
export class BotManager {
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'bot_id', type: 'varchar', length: 36 })
  botId: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'added_at', type: 'datetime', precision: 3 })
  addedAt: Date;
}
