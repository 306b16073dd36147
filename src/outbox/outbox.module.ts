import { Global, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PurgeTaskRegistry, repositoryPurgeTask } from '../housekeeping/purge-task';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';

/**
 * The transactional outbox (issue 22 §3): work handed off by requests (mail), delivered with
 * retries by every instance. Global: any module may enqueue and register a topic.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [OutboxService],
  exports: [OutboxService],
})
export class OutboxModule {
  constructor(purges: PurgeTaskRegistry, @InjectRepository(OutboxMessage) rows: Repository<OutboxMessage>) {
    // Done messages (delivered or dropped, payload already emptied) go after the retention period.
    purges.register(repositoryPurgeTask('outbox_messages', rows, ['done_at']));
  }
}
