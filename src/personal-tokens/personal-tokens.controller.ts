import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { mapPage } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { prefersHtml } from '../common/prefers-html';
import { requestMeta } from '../common/request-meta';
import { CreatePersonalTokenDto } from './dto/create-personal-token.dto';
import { CreatedPersonalTokenView } from './dto/created-personal-token.view';
import { PersonalTokenPageView } from './dto/personal-token-page.view';
import { PersonalTokensPage } from './personal-tokens.page';
import { PersonalTokensService, toPersonalTokenView } from './personal-tokens.service';

/**
 * The signed-in user's personal access tokens. Cookie session only: a leaked token cannot
 * mint, list or revoke tokens.
 */
@ApiTags('account')
@Controller('account/tokens')
export class PersonalTokensController {
  constructor(
    private readonly tokens: PersonalTokensService,
    private readonly page: PersonalTokensPage,
  ) {}

  /** JSON list; a browser asking for text/html gets the "API keys" page instead. */
  @Authenticated({ schemes: ['cookie'], page: true })
  @Get()
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: PersonalTokenPageView })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (prefersHtml(req)) return this.page.render(reply, p);
    const now = Date.now();
    const page = await this.tokens.pageForOwner(p.actor.id, pageRequest(q));
    return reply.header('cache-control', 'no-store').send(mapPage(page, (t) => toPersonalTokenView(t, now)));
  }

  /** The response is the only time the token is returned. */
  @Authenticated({ schemes: ['cookie'] })
  @RequiresRecentAuthentication()
  @Post()
  @ApiCreatedResponse({ type: CreatedPersonalTokenView })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreatePersonalTokenDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedPersonalTokenView> {
    const { token, plaintext } = await this.tokens.createFor(p, dto, requestMeta(req));
    void reply.header('cache-control', 'no-store');
    return { ...toPersonalTokenView(token), token: plaintext };
  }

  /** Revokes at once: the next request with the token gets 401 invalid_token. */
  @Authenticated({ schemes: ['cookie'] })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<void> {
    if (!(await this.tokens.revokeFor(p, id, requestMeta(req)))) throw new NotFoundException('No such token');
  }
}
