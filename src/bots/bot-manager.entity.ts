import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** One person of a bot's owner team: they may change the bot and manage its tokens. */
@Entity('bot_managers')
export class BotManager {
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
