import { BadRequestException, Body, Controller, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
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
  ) {}

  /** Shows the new token once, in this response; a refusal re-shows the form with the reason. */
  @Authenticated(PAGE)
  @Post('new')
  async create(@CurrentPrincipal() p: Principal, @Body() form: CreatePersonalTokenFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const input = fromTokenForm(form);
    try {
      const { token, plaintext } = await this.tokens.createFor(p, input, requestMeta(req));
      return await this.page.render(reply, p, { created: { name: token.name, token: plaintext } }, 201);
    } catch (err) {
      if (err instanceof BadRequestException) return this.page.render(reply, p, { error: err.message, form }, 400);
      throw err;
    }
  }

  @Authenticated(PAGE)
  @Post(':id/delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.tokens.revokeFor(p, id, requestMeta(req));
    return reply.redirect('/account/tokens', 303);
  }
}
