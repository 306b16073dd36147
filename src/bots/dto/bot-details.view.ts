import { ApiProperty } from '@nestjs/swagger';
import { BotTokenView } from './bot-token.view';
import { BotView } from './bot.view';

/** One bot with its live tokens. */
export class BotDetailsView extends BotView {
  @ApiProperty({ type: [BotTokenView] }) tokens: BotTokenView[];
}
