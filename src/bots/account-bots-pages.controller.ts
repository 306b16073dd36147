import { Body, Controller, HttpException, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { CreatePersonalTokenFormDto, fromTokenForm } from '../personal-tokens/dto/create-personal-token-form.dto';
import { FlashService } from '../sessions/flash.service';
import { BotsPage } from './bots.page';
import { MANAGE_BOTS_SCOPE } from './bots.scopes';
import { BotsService } from './bots.service';
import { BotForm } from './dto/bot-forms.dto';

const PAGE = { schemes: ['cookie'], scopes: [MANAGE_BOTS_SCOPE], page: true } as const;

/** A refusal the page shows next to the form (4xx); anything else propagates. */
function refusal(err: unknown): string | null {
  return err instanceof HttpException && err.getStatus() < 500 && err.getStatus() !== 404 ? err.message : null;
}

/**
 * The form posts of the Bots pages (GETs are negotiated in AccountBotsController). Each answers
 * with a 303 to the bot's page (Post/Redirect/Get; a new token rides there once in the sealed
 * flash cookie), or re-renders the page with the reason.
 */
@ApiExcludeController()
@Authenticated(PAGE)
@Controller('account/bots')
export class AccountBotsPagesController {
  constructor(
    private readonly bots: BotsService,
    private readonly page: BotsPage,
    private readonly flash: FlashService,
  ) {}

  @Post('new')
  async create(@CurrentPrincipal() p: Principal, @Body() form: BotForm, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const record = await this.bots.create(
        p,
        { name: form.name ?? '', description: form.description, roles: form.roles ?? [] },
        requestMeta(req),
      );
      return reply.redirect(`/account/bots/${record.user.id}`, 303);
    } catch (err) {
      const error = refusal(err);
      if (error) return this.page.renderList(reply, p, { error }, 400);
      throw err;
    }
  }

  @RequiresRecentAuthentication()
  @Post(':id/tokens/new')
  async createToken(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: CreatePersonalTokenFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const input = fromTokenForm(form);
    try {
      const { token, plaintext } = await this.bots.createToken(p, id, input, requestMeta(req));
      await this.flash.set(
        reply,
        { message: `Token “${token.name}” created.`, reveal: { title: `The bot’s new token “${token.name}”`, value: plaintext } },
        p.credential.id,
      );
      return reply.redirect(`/account/bots/${id}`, 303);
    } catch (err) {
      const error = refusal(err);
      if (error) return this.page.renderBot(reply, p, id, { error }, 400);
      throw err;
    }
  }

  @Post(':id/tokens/:tokenId/delete')
  async revokeToken(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.attempt(p, id, reply, () => this.bots.revokeToken(p, id, tokenId, requestMeta(req)));
  }

  @Post(':id/update')
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: BotForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.attempt(p, id, reply, () =>
      this.bots.update(p, id, { description: form.description, roles: form.roles ?? [] }, requestMeta(req)),
    );
  }

  @Post(':id/status')
  async status(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: BotForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.attempt(p, id, reply, () => this.bots.setStatus(p, id, form.status === 'active' ? 'active' : 'disabled', requestMeta(req)));
  }

  @Post(':id/delete')
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.bots.delete(p, id, requestMeta(req));
    return reply.redirect('/account/bots', 303);
  }

  @Post(':id/managers/new')
  async addManager(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: BotForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.attempt(p, id, reply, () => this.bots.addManager(p, id, form.email ?? '', requestMeta(req)));
  }

  @Post(':id/managers/:userId/delete')
  async removeManager(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    // Someone who removed themselves may no longer see the bot.
    const to = userId === p.actor.id && !p.scopes.has('admin') ? '/account/bots' : undefined;
    return this.attempt(p, id, reply, () => this.bots.removeManager(p, id, userId, requestMeta(req)), to);
  }

  /** Runs a change; a 303 back to the bot's page, or the page again with the refusal. */
  private async attempt(
    p: Principal,
    id: string,
    reply: FastifyReply,
    change: () => Promise<unknown>,
    to = `/account/bots/${id}`,
  ): Promise<FastifyReply> {
    try {
      await change();
      return reply.redirect(to, 303);
    } catch (err) {
      const error = refusal(err);
      if (error) return this.page.renderBot(reply, p, id, { error }, 400);
      throw err;
    }
  }
}
