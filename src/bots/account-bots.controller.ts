import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toAuditEventView } from '../audit/audit-event.mapper';
import { AuditPageView } from '../audit/dto/audit-page.view';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { mapPage } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { requestMeta } from '../common/request-meta';
import { prefersHtml } from '../common/prefers-html';
import { toBotTokenView } from './bot-tokens.service';
import { BotsPage } from './bots.page';
import { MANAGE_BOTS_SCOPE } from './bots.scopes';
import { BotsService, toBotView } from './bots.service';
import { AddBotManagerDto } from './dto/add-bot-manager.dto';
import { BotPageView } from './dto/bot-page.view';
import { BotDetailsView } from './dto/bot-details.view';
import { CreatedBotTokenView } from './dto/bot-token.view';
import { BotView } from './dto/bot.view';
import { CreateBotTokenDto } from './dto/create-bot-token.dto';
import { CreateBotDto } from './dto/create-bot.dto';
import { UpdateBotDto } from './dto/update-bot.dto';

/**
 * Bots the signed-in person manages (admins: every bot). Cookie session only, like PATs: a
 * leaked token (a bot's included) cannot create bots or mint tokens. Requires `manage:bots`.
 * A bot the caller may not manage is a 404.
 */
const MANAGE = { schemes: ['cookie'], scopes: [MANAGE_BOTS_SCOPE] } as const;
const MANAGE_PAGE = { ...MANAGE, page: true } as const;

@ApiTags('bots')
@Controller('account/bots')
export class AccountBotsController {
  constructor(
    private readonly bots: BotsService,
    private readonly page: BotsPage,
  ) {}

  /** JSON list; a browser asking for text/html gets the "Bots" page. */
  @Authenticated(MANAGE_PAGE)
  @Get()
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: BotPageView })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (prefersHtml(req)) return this.page.renderList(reply, p);
    const page = await this.bots.pageManagedBy(p.actor.id, pageRequest(q));
    return reply.header('cache-control', 'no-store').send(mapPage(page, toBotView));
  }

  @Authenticated(MANAGE)
  @Post()
  @ApiCreatedResponse({ type: BotView })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateBotDto, @Req() req: FastifyRequest): Promise<BotView> {
    return toBotView(await this.bots.create(p, dto, requestMeta(req)));
  }

  /** The bot with its live tokens; a browser gets the bot's page. */
  @Authenticated(MANAGE_PAGE)
  @Get(':id')
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: BotDetailsView })
  @ApiNotFoundResponse()
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (prefersHtml(req)) return this.page.renderBot(reply, p, id);
    const record = await this.bots.getManageable(p, id);
    const now = Date.now();
    const tokens = (await this.bots.tokensOf(record)).map((t) => toBotTokenView(t, now));
    return reply.header('cache-control', 'no-store').send({ ...toBotView(record), tokens });
  }

  @Authenticated(MANAGE)
  @Patch(':id')
  @ApiOkResponse({ type: BotView })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateBotDto,
    @Req() req: FastifyRequest,
  ): Promise<BotView> {
    return toBotView(await this.bots.update(p, id, dto, requestMeta(req)));
  }

  /** Every token of the bot stops on its next request. */
  @Authenticated(MANAGE)
  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: BotView })
  async disable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<BotView> {
    return toBotView(await this.bots.setStatus(p, id, 'disabled', requestMeta(req)));
  }

  @Authenticated(MANAGE)
  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: BotView })
  async enable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<BotView> {
    return toBotView(await this.bots.setStatus(p, id, 'active', requestMeta(req)));
  }

  /** Deletes the bot and its tokens. */
  @Authenticated(MANAGE)
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<void> {
    await this.bots.delete(p, id, requestMeta(req));
  }

  @Authenticated(MANAGE)
  @Post(':id/managers')
  @ApiCreatedResponse({ type: BotView })
  async addManager(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddBotManagerDto,
    @Req() req: FastifyRequest,
  ): Promise<BotView> {
    return toBotView(await this.bots.addManager(p, id, dto.email, requestMeta(req)));
  }

  @Authenticated(MANAGE)
  @Delete(':id/managers/:userId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeManager(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.bots.removeManager(p, id, userId, requestMeta(req));
  }

  /** The response is the only time the token is returned. */
  @Authenticated(MANAGE)
  @RequiresRecentAuthentication()
  @Post(':id/tokens')
  @ApiCreatedResponse({ type: CreatedBotTokenView })
  async createToken(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateBotTokenDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedBotTokenView> {
    const { token, plaintext } = await this.bots.createToken(p, id, dto, requestMeta(req));
    void reply.header('cache-control', 'no-store');
    return { ...toBotTokenView(token), token: plaintext };
  }

  /** Revokes at once: the next request with the token gets 401 invalid_token. */
  @Authenticated(MANAGE)
  @Delete(':id/tokens/:tokenId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeToken(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.bots.revokeToken(p, id, tokenId, requestMeta(req));
  }

  /** What the bot did: audit events whose actor is the bot, newest first. */
  @Authenticated(MANAGE)
  @Get(':id/activity')
  @ApiOkResponse({ type: AuditPageView })
  async activity(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery): Promise<AuditPageView> {
    const page = await this.bots.activityOf(p, id, q.limit ?? 50, q.cursor);
    return { items: page.items.map(toAuditEventView), nextCursor: page.nextCursor };
  }
}
