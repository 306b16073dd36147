import { PageView } from '../../common/page.view';
import { BotView } from './bot.view';

export class BotPageView extends PageView(BotView) {}
