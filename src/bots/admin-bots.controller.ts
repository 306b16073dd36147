import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ADMIN_API } from '../users/admin-access';
import { AuditAction } from '../audit/audit-action.decorator';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { mapPage } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { BotsService, toBotView } from './bots.service';
import { BotPageView } from './dto/bot-page.view';

/**
 * Administrators' view of every bot, with `unmanaged` ones (no active manager) flagged. Admins
 * manage any bot through the /account/bots/:id routes (their `admin` scope passes the
 * manager check), which is also how they assign a manager to an unmanaged bot.
 */
@ApiTags('admin')
@Controller('admin/bots')
export class AdminBotsController {
  constructor(private readonly bots: BotsService) {}

  @Authenticated(ADMIN_API)
  @AuditAction('admin.bot.list')
  @Get()
  @ApiOkResponse({ type: BotPageView })
  async list(@Query() q: PageQuery): Promise<BotPageView> {
    return mapPage(await this.bots.pageAll(pageRequest(q)), toBotView);
  }
}
