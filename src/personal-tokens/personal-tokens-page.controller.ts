import { BadRequestException, Body, Controller, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { FlashService } from '../sessions/flash.service';
import { CreatePersonalTokenFormDto, fromTokenForm } from './dto/create-personal-token-form.dto';
import { PersonalTokensPage } from './personal-tokens.page';
import { PersonalTokensService } from './personal-tokens.service';

const PAGE = { schemes: ['cookie'], page: true } as const;

/** The form posts of the "API keys" page (GET is negotiated in PersonalTokensController). */
@ApiExcludeController()
@Controller('account/tokens')
export class PersonalTokensPageController {
  constructor(
    private readonly tokens: PersonalTokensService,
    private readonly page: PersonalTokensPage,
    private readonly flash: FlashService,
  ) {}

  /**
   * Post/Redirect/Get: the new token rides to the page in a sealed one-time flash cookie, so a
   * reload creates nothing and the server never stores the token. A refusal re-shows the form
   * with the reason and what was typed.
   */
  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post('new')
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() form: CreatePersonalTokenFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const input = fromTokenForm(form);
    try {
      const { token, plaintext } = await this.tokens.createFor(p, input, requestMeta(req));
      await this.flash.set(
        reply,
        { message: `API key “${token.name}” added.`, reveal: { title: `Your new API key “${token.name}”`, value: plaintext } },
        p.credential.id,
      );
      return reply.redirect('/account/tokens', 303);
    } catch (err) {
      if (err instanceof BadRequestException) return this.page.render(reply, p, { error: err.message, form }, 400);
      throw err;
    }
  }

  @Authenticated(PAGE)
  @Post(':id/delete')
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const revoked = await this.tokens.revokeFor(p, id, requestMeta(req));
    await this.flash.set(reply, revoked ? { message: 'API key deleted.' } : { message: 'That API key was already gone.', kind: 'error' });
    return reply.redirect('/account/tokens', 303);
  }
}
