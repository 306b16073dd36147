import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { pageOfList } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { prefersHtml } from '../common/prefers-html';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { AccountAuthorizationsService } from './account-authorizations.service';
import { AuthorizationPageView } from './dto/authorization-page.view';

const PAGE = { schemes: ['cookie'], page: true } as const;

/**
 * The apps the signed-in user has authorized: one URL for the page (browsers, Accept:
 * text/html) and the JSON API. Cookie only: a token cannot revoke its own user's apps.
 */
@ApiTags('account')
@Controller('account/authorizations')
export class AccountAuthorizationsController {
  constructor(
    private readonly authorizations: AccountAuthorizationsService,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
  ) {}

  @Authenticated(PAGE)
  @Get()
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: AuthorizationPageView, description: 'JSON unless the request prefers text/html' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const authorizations = await this.authorizations.list(p);
    void reply.header('cache-control', 'no-store').header('vary', 'Accept');
    // A person authorizes a handful of apps: the list is paged in memory (same cursor as SQL lists).
    if (!prefersHtml(req))
      return reply.send(pageOfList(authorizations, pageRequest(q), (a) => ({ time: new Date(a.authorizedAt), id: a.clientId })));
    return reply.view('account-authorizations.hbs', {
      title: 'Authorized apps',
      user: p.user,
      csrf: this.csrf.tokenFor(p.credential.id),
      authorizations,
    });
  }

  @Authenticated({ schemes: ['cookie'] })
  @Delete(':clientId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Consent, refresh tokens and access tokens of that app for this user are revoked' })
  @ApiNotFoundResponse()
  async revoke(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest) {
    if (!(await this.authorizations.revoke(p, clientId, requestMeta(req)))) throw new NotFoundException('No authorization for this app');
  }

  /** The page's form: same as DELETE, then back to the page. */
  @Authenticated(PAGE)
  @Post(':clientId/revoke')
  @ApiExcludeEndpoint()
  async revokeFromPage(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const revoked = await this.authorizations.revoke(p, clientId, requestMeta(req));
    await this.flash.set(
      reply,
      revoked
        ? { message: 'Access revoked: the app can no longer act for you.' }
        : { message: 'That app had no access left.', kind: 'error' },
    );
    return reply.redirect('/account/authorizations', 303);
  }
}
